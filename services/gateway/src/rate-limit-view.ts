import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { incrOnce, type CountCallback as Callback, type Counted } from './rate-limit-incr';

/** How long a count Redis returned may stand in for the shared count (other replicas add to it meanwhile). */
const FRESH_MS = 1_000;
/** Callers tracked before the ones whose window is over are swept (at most once a second). */
const SWEEP_AT = 10_000;
/** A count never returned (performance.now() starts near 0 with the process, so not 0). */
const NEVER = Number.NEGATIVE_INFINITY;

interface CallerView {
  /** The caller's count in the window, as Redis last returned it. */
  confirmed: number;
  confirmedAt: number;
  /** When the window Redis counts in ends. */
  endsAt: number;
  /** Counted here, not yet returned by Redis. */
  pending: number;
}

/**
 * A store that lets a caller well within its budget through without waiting for Redis. Every
 * request is still counted in Redis (the shared budget of all replicas); the wait is skipped for
 * a request when this replica has no other request of the caller awaiting Redis, and its count
 * from Redis, less than a second old, puts the caller below half of `max`. Otherwise (a burst,
 * half the budget used, a caller not heard of within the second, a window just over) the request
 * waits for Redis's count, which decides. Other replicas can outrun a count this replica holds,
 * so each replica may admit one request beyond the limit before its next answer from Redis: at
 * most one per replica per window, since that answer shows the caller past half its budget.
 * Times are monotonic (performance.now): a clock stepped back changes nothing.
 * Measured (bench/gateway): the wait was 0.25 ms of /v1/me's 0.66 ms p50.
 */
export function withLocalView(exact: FastifyRateLimitStore): FastifyRateLimitStore {
  const views = new Map<string, CallerView>();

  let sweptAt = NEVER;
  const sweep = (now: number) => {
    if (views.size < SWEEP_AT || now - sweptAt < FRESH_MS) return;
    sweptAt = now;
    for (const [key, view] of views) if (view.endsAt <= now && view.pending === 0) views.delete(key);
  };

  const record = (view: CallerView, error: Error | null, result: Counted | undefined) => {
    view.pending -= 1;
    if (error || !result) return;
    const now = performance.now();
    view.confirmed = result.current;
    view.confirmedAt = now;
    view.endsAt = now + result.ttl;
  };

  return {
    incr(key: string, callback: Callback, ...rest: unknown[]) {
      const now = performance.now();
      sweep(now);
      const view = views.get(key) ?? { confirmed: 0, confirmedAt: NEVER, endsAt: NEVER, pending: 0 };
      views.set(key, view);
      // The window is over (Redis's key has expired): nothing confirmed stands until Redis answers again.
      if (view.endsAt <= now) view.confirmedAt = NEVER;
      const max = rest[1] as number;
      const estimate = view.confirmed + view.pending + 1;
      // One unconfirmed answer at a time: a burst waits, so no replica admits more than one
      // request a round trip on a count that others may have outrun.
      const wellWithin = view.pending === 0 && now - view.confirmedAt < FRESH_MS && estimate <= Math.floor(max / 2);
      view.pending += 1;
      // Every count goes to Redis on the next turn of the event loop, in the order the requests
      // came: a request answered from the view goes on to its work meanwhile, so the socket write
      // (0.09 ms p50, measured in a gateway) happens while it waits for Postgres, not before.
      const countInRedis = (done: Callback) =>
        setImmediate(() =>
          incrOnce(
            exact,
            key,
            (error, result) => {
              record(view, error, result);
              done(error, result);
            },
            rest,
          ),
        );
      if (wellWithin) {
        callback(null, { current: estimate, ttl: view.endsAt - now });
        countInRedis(() => {});
      } else {
        countInRedis(callback);
      }
    },
    child: (routeOptions) => withLocalView(exact.child(routeOptions)),
  };
}
