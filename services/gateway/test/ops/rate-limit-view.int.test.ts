import { randomUUID } from 'node:crypto';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedis } from '@callvault/queue';
import { TEST_REDIS_URL, waitFor } from '@callvault/testing';
import { redisCounter, type Counted } from '../../src/rate-limit-counter';
import { unconfirmedAllowance, withLocalView } from '../../src/rate-limit-view';

/**
 * The local view in front of the shared count: what a request waits for, when its count is
 * sent, and how many go in one command. The budget across replicas of the whole gateway is tested
 * end to end in shared-rate-limit.int.test.ts (a limit of 20: one request per command).
 */
const redis = createRedis({ kind: 'standalone', url: TEST_REDIS_URL }, 'producer');
const prefix = `rate-limit-view-test:${randomUUID()}:`;
const WINDOW_MS = 60_000;

beforeAll(async () => {
  // Its commands are refused, not queued, until it is connected.
  if (redis.status !== 'ready') await new Promise((ready) => redis.once('ready', ready));
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

/** A counter on the test's Redis, with every `add` it is asked for recorded. */
const spiedCounter = () => {
  const counter = redisCounter(redis, prefix);
  return { counter, added: vi.spyOn(counter, 'add') };
};
const requestsPerCommand = (added: ReturnType<typeof spiedCounter>['added']) => added.mock.calls.map((call) => call[1]);

/** One request's count through `store`, as the plugin asks for it (window and max after the callback). */
const count = (store: FastifyRateLimitStore, key: string, max: number, onAnswer?: () => void) =>
  new Promise<Counted | undefined>((resolve, reject) =>
    (store.incr as (...args: unknown[]) => void)(
      key,
      (error: Error | null, result?: Counted) => {
        onAnswer?.();
        if (error) reject(error);
        else resolve(result);
      },
      WINDOW_MS,
      max,
    ),
  );
const nextTurn = () => new Promise((turn) => setImmediate(turn));
const countInRedis = async (key: string) => Number(await redis.get(`${prefix}${key}`));

describe('the rate limit local view', () => {
  it('sends one command per request under a limit of 128, after the request went on, in the order they came', async () => {
    expect(unconfirmedAllowance(100)).toBe(1);
    const { counter, added } = spiedCounter();
    const view = withLocalView(counter);
    // Not heard of: waits for Redis's count.
    expect((await count(view, 'single', 100))?.current).toBe(1);
    expect(added).toHaveBeenCalledTimes(1);
    // Answered from the view; the request goes on with its work (promise jobs of this turn)
    // before its count goes out.
    expect((await count(view, 'single', 100))?.current).toBe(2);
    expect(added).toHaveBeenCalledTimes(1);
    await nextTurn();
    expect(added).toHaveBeenCalledTimes(2);
    await waitFor(async () => (await countInRedis('single')) === 2, { timeoutMs: 5_000, what: 'the second count in Redis' });
    // A third and a fourth at once: the fourth waits for Redis (the third's count is not back),
    // and Redis's count for it includes the third's.
    const third = count(view, 'single', 100);
    let commandsWhenFourthAnswered = 0;
    const fourth = count(view, 'single', 100, () => {
      commandsWhenFourthAnswered = added.mock.calls.length;
    });
    expect((await third)?.current).toBe(3);
    expect((await fourth)?.current).toBe(4);
    expect(commandsWhenFourthAnswered).toBe(3);
    expect(requestsPerCommand(added)).toEqual([1, 1, 2]);
  });

  it('sends the counts it answered from the view in batches of a 64th of the limit, on the turn the batch fills', async () => {
    const max = 640;
    const batch = unconfirmedAllowance(max);
    expect(batch).toBe(10);
    const { counter, added } = spiedCounter();
    const view = withLocalView(counter);
    await count(view, 'busy', max);
    const answered = [];
    for (let i = 0; i < batch; i++) answered.push((await count(view, 'busy', max))?.current);
    expect(answered).toEqual(Array.from({ length: batch }, (_, i) => i + 2));
    expect(added).toHaveBeenCalledTimes(1);
    await nextTurn();
    expect(requestsPerCommand(added)).toEqual([1, batch]);
    await waitFor(async () => (await countInRedis('busy')) === batch + 1, { timeoutMs: 5_000, what: 'the batch in Redis' });
    // Back from Redis: the next request is answered from the view again.
    expect((await count(view, 'busy', max))?.current).toBe(batch + 2);
    expect(added).toHaveBeenCalledTimes(2);
  });

  it('sends a batch that does not fill within 100 ms', async () => {
    const { counter, added } = spiedCounter();
    const view = withLocalView(counter);
    await count(view, 'quiet', 640);
    await count(view, 'quiet', 640);
    await count(view, 'quiet', 640);
    await nextTurn();
    expect(added).toHaveBeenCalledTimes(1);
    await waitFor(async () => (await countInRedis('quiet')) === 3, { timeoutMs: 2_000, what: 'the two unsent counts in Redis' });
    expect(requestsPerCommand(added)).toEqual([1, 2]);
  });

  it('drops the unsent counts when closed, so no command goes to a Redis client that is closing', async () => {
    const { counter, added } = spiedCounter();
    const view = withLocalView(counter);
    await count(view, 'closing', 640);
    await count(view, 'closing', 640);
    // A route with a limit of its own has a store of its own, closed with the gateway's.
    const childCounter = counter.child('GET/v1/x-');
    vi.spyOn(counter, 'child').mockReturnValueOnce(childCounter);
    const childAdded = vi.spyOn(childCounter, 'add');
    const route = view.child({ routeInfo: { method: 'GET', url: '/v1/x' } } as never);
    await count(route, 'closing', 640);
    await count(route, 'closing', 640);
    view.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requestsPerCommand(added)).toEqual([1]);
    expect(childAdded.mock.calls.map((call) => call[1])).toEqual([1]);
  });

  it('lets a request that must wait take the unsent counts with its own, so Redis decides on all of them', async () => {
    const max = 640;
    // 315 already spent in this window elsewhere: the view may answer up to half the limit (320).
    await redis.set(`${prefix}half`, '315', 'PX', WINDOW_MS);
    const { counter, added } = spiedCounter();
    const view = withLocalView(counter);
    expect((await count(view, 'half', max))?.current).toBe(316);
    const fromView = [];
    for (let i = 0; i < 4; i++) fromView.push((await count(view, 'half', max))?.current);
    expect(fromView).toEqual([317, 318, 319, 320]);
    expect((await count(view, 'half', max))?.current).toBe(321);
    expect(requestsPerCommand(added)).toEqual([1, 5]);
    expect(await countInRedis('half')).toBe(321);
  });

  it('admits no more than the limit plus the allowance of each replica, when replicas with fresh low counts meet a burst', async () => {
    const max = 640;
    const allowance = unconfirmedAllowance(max);
    const replicas = [withLocalView(redisCounter(redis, prefix)), withLocalView(redisCounter(redis, prefix)), withLocalView(redisCounter(redis, prefix))];
    const admitted = (results: Array<Counted | undefined>) => results.filter((result) => result !== undefined && result.current <= max).length;
    let spent = 0;
    // Each replica hears of the caller while its count is low...
    for (const replica of replicas) spent += admitted([await count(replica, 'burst', max)]);
    // ...then one of them spends most of the budget, one request at a time...
    for (let i = 0; i < max - 50; i++) spent += admitted([await count(replicas[1]!, 'burst', max)]);
    // ...and all three are hit at once while the first and the third still hold their low counts.
    spent += admitted((await Promise.all(replicas.map((replica) => Promise.all(Array.from({ length: 100 }, () => count(replica, 'burst', max)))))).flat());
    expect(spent).toBeGreaterThanOrEqual(max);
    expect(spent).toBeLessThanOrEqual(max + replicas.length * allowance);
    // Every request was counted once in Redis: 3 + 590 + 300.
    await waitFor(async () => (await countInRedis('burst')) === 3 + (max - 50) + 300, { timeoutMs: 5_000, what: 'every count in Redis' });
  });

  it('admits exactly the allowance beyond the limit on a replica whose low count another replica outran', async () => {
    const max = 640;
    const [behind, spender] = [withLocalView(redisCounter(redis, prefix)), withLocalView(redisCounter(redis, prefix))];
    const admitted = (result: Counted | undefined) => (result !== undefined && result.current <= max ? 1 : 0);
    let spent = admitted(await count(behind, 'outran', max));
    while (spent < max) spent += admitted(await count(spender, 'outran', max));
    // The budget is spent; the first replica still holds a fresh count of 1.
    for (let i = 0; i < 60; i++) spent += admitted(await count(behind, 'outran', max));
    expect(spent).toBe(max + unconfirmedAllowance(max));
  });

  it('answers from the view again once a failed batch is over: the failed counts no longer hold it shut', async () => {
    const { counter, added } = spiedCounter();
    const view = withLocalView(counter);
    const max = 640;
    await count(view, 'blip', max);
    // Redis refuses the next batch once (an outage of one command).
    added.mockImplementationOnce((_key, _requests, _window, callback) => callback(new Error('connection lost')));
    for (let i = 0; i < unconfirmedAllowance(max); i++) await count(view, 'blip', max);
    await nextTurn();
    expect(requestsPerCommand(added)).toEqual([1, unconfirmedAllowance(max)]);
    // Its count from Redis is still fresh and low, and nothing is in flight: answered at once.
    let answeredBeforeRedis = false;
    const next = count(view, 'blip', max, () => {
      answeredBeforeRedis = added.mock.calls.length === 2;
    });
    await next;
    expect(answeredBeforeRedis).toBe(true);
  });

  it('passes the error of a counter that throws instead of calling back to the request, as a store error', async () => {
    const { counter, added } = spiedCounter();
    added.mockImplementation(() => {
      throw new Error('store broke');
    });
    await expect(count(withLocalView(counter), 'thrower', 100)).rejects.toThrow('store broke');
  });
});
