import { randomUUID } from 'node:crypto';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedis } from '@callvault/queue';
import { TEST_REDIS_URL, waitFor } from '@callvault/testing';
import { withLocalView } from '../../src/rate-limit-view';

/**
 * The local view in front of the shared count: what a request waits for and when its count is
 * sent. The budget across replicas is tested end to end in shared-rate-limit.int.test.ts.
 */
const redis = createRedis({ kind: 'standalone', url: TEST_REDIS_URL }, 'producer');
const prefix = `rate-limit-view-test:${randomUUID()}:`;
const WINDOW_MS = 60_000;
const MAX = 100;

beforeAll(async () => {
  // Its commands are refused, not queued, until it is connected.
  if (redis.status !== 'ready') await new Promise((ready) => redis.once('ready', ready));
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

type Counted = { current: number; ttl: number } | undefined;
/** One request's count through `store`, as the plugin asks for it (window and max after the callback). */
const count = (store: FastifyRateLimitStore, key: string, onAnswer?: () => void) =>
  new Promise<Counted>((resolve, reject) =>
    (store.incr as (...args: unknown[]) => void)(
      key,
      (error: Error | null, result?: Counted) => {
        onAnswer?.();
        if (error) reject(error);
        else resolve(result);
      },
      WINDOW_MS,
      MAX,
    ),
  );

describe('the rate limit local view', () => {
  it('answers a caller well within the budget at once and sends its count to Redis on the next turn, not before', async () => {
    const exact = new RedisStore(false, false, redis, prefix) as unknown as FastifyRateLimitStore;
    const sent = vi.spyOn(exact, 'incr');
    const view = withLocalView(exact);
    // Not heard of: waits for Redis's count.
    expect((await count(view, 'caller'))?.current).toBe(1);
    expect(sent).toHaveBeenCalledTimes(1);
    // Answered from the view; the request goes on with its work (promise jobs of this turn)
    // before its count goes out.
    expect((await count(view, 'caller'))?.current).toBe(2);
    expect(sent).toHaveBeenCalledTimes(1);
    await new Promise((turn) => setImmediate(turn));
    expect(sent).toHaveBeenCalledTimes(2);
    await waitFor(async () => (await redis.get(`${prefix}caller`)) === '2', { timeoutMs: 5_000, what: 'the second count in Redis' });
    // A third and a fourth at once: the fourth waits for Redis (the third's count is not back),
    // and Redis's count for it includes the third's: counts reach Redis in the order they came.
    const third = count(view, 'caller');
    let sentWhenFourthAnswered = 0;
    const fourth = count(view, 'caller', () => {
      sentWhenFourthAnswered = sent.mock.calls.length;
    });
    expect((await third)?.current).toBe(3);
    expect((await fourth)?.current).toBe(4);
    expect(sentWhenFourthAnswered).toBe(4);
  });

  it('passes the error of a store that throws instead of calling back to the request, as a store error', async () => {
    const exact = new RedisStore(false, false, redis, prefix) as unknown as FastifyRateLimitStore;
    vi.spyOn(exact, 'incr').mockImplementation(() => {
      throw new Error('store broke');
    });
    await expect(count(withLocalView(exact), 'thrower')).rejects.toThrow('store broke');
  });
});
