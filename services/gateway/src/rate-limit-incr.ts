import type { FastifyRateLimitStore } from '@fastify/rate-limit';

export type Counted = { current: number; ttl: number };
export type CountCallback = (error: Error | null, result?: Counted) => void;

/**
 * One count through a rate-limit store, answered once: a store that throws instead of calling
 * back answers with its error (to the plugin, a store error like any other), and a second call of
 * the callback is ignored.
 */
export function incrOnce(store: FastifyRateLimitStore, key: string, callback: CountCallback, rest: readonly unknown[]): void {
  let answered = false;
  const once: CountCallback = (error, result) => {
    if (answered) return;
    answered = true;
    callback(error, result);
  };
  try {
    (store.incr as (...args: unknown[]) => void)(key, once, ...rest);
  } catch (error) {
    once(error as Error);
  }
}
