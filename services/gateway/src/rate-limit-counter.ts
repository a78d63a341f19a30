import type { createRedis } from '@callvault/queue';

type RedisClient = ReturnType<typeof createRedis>;
export type Counted = { current: number; ttl: number };
export type CountCallback = (error: Error | null, result?: Counted) => void;

/** Callers' request counts per window, shared by every gateway replica. */
export interface SharedCounter {
  /**
   * Adds `requests` to the caller's count and answers the new count and the milliseconds left in
   * its window (a window starts with the caller's first count and lasts `windowMs`).
   */
  add(key: string, requests: number, windowMs: number, callback: CountCallback): void;
  /** A counter whose keys are kept apart from this one's (a route with a limit of its own). */
  child(namespace: string): SharedCounter;
}

// One script, so the count and its expiry change together. A key that somehow has no expiry
// (-1) gets one, so a count never outlives its window for good.
const ADD_SCRIPT = `
local current = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {current, ttl}
`;

type AddCommand = (key: string, requests: number, windowMs: number, callback: (error: Error | null, result?: [number, number]) => void) => void;

/**
 * The counts in Redis, one key per caller under `keyPrefix` (the keys of @fastify/rate-limit's
 * own Redis store, which this replaces: it adds one request per call, this a batch).
 */
export function redisCounter(redis: RedisClient, keyPrefix: string): SharedCounter {
  const commands = redis as unknown as { callvaultRateLimitAdd?: AddCommand };
  if (!commands.callvaultRateLimitAdd) redis.defineCommand('callvaultRateLimitAdd', { numberOfKeys: 1, lua: ADD_SCRIPT });
  const run = commands.callvaultRateLimitAdd!.bind(redis);
  return {
    add(key, requests, windowMs, callback) {
      run(`${keyPrefix}${key}`, requests, windowMs, (error, result) => {
        if (error || !result) callback(error ?? new Error('the rate-limit count script answered nothing'));
        else callback(null, { current: Number(result[0]), ttl: Number(result[1]) });
      });
    },
    child: (namespace) => redisCounter(redis, `${keyPrefix}${namespace}`),
  };
}

/**
 * One `add`, answered once: a counter that throws instead of calling back answers with its
 * error (a store error like any other), and a second call of the callback is ignored.
 */
export function addOnce(counter: SharedCounter, key: string, requests: number, windowMs: number, callback: CountCallback): void {
  let answered = false;
  const once: CountCallback = (error, result) => {
    if (answered) return;
    answered = true;
    callback(error, result);
  };
  try {
    counter.add(key, requests, windowMs, once);
  } catch (error) {
    once(error as Error);
  }
}
