import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Logger } from '@callvault/logging';
import type { createRedis } from '@callvault/queue';
import { Counter, type Registry } from 'prom-client';
import { getOrCreateMetric } from '@callvault/service-kit';
import { RateLimitedError } from './errors';
import { addOnce, redisCounter, type SharedCounter } from './rate-limit-counter';
import { withLocalView } from './rate-limit-view';

type RedisClient = ReturnType<typeof createRedis>;

export interface RateLimitSettings {
  /** Requests a minute per caller (RATE_LIMIT_PER_MINUTE). */
  max: number;
  /** Shared by every gateway replica, so they count against one budget. */
  redis: RedisClient;
  /** Key prefix in Redis: the deployment's QUEUE_PREFIX keeps two deployments on one Redis apart. */
  keyPrefix: string;
  registry: Registry;
  log: Logger;
}

/**
 * The counts in Redis, watched: an error (Redis down, or no answer within the client's command
 * timeout, when Redis may still have made the count) is counted once per request in the failed
 * command, and logged once per outage. The plugin then lets the request through
 * (`skipOnError`): the limit protects capacity and fairness, not data, so while Redis is away the
 * API keeps answering (reads come from Postgres) rather than failing every request with 503; the
 * counter is what to alert on.
 */
function watchedCounter(settings: RateLimitSettings): SharedCounter {
  const errors = getOrCreateMetric(
    settings.registry,
    'callvault_rate_limit_store_errors_total',
    () =>
      new Counter({
        name: 'callvault_rate_limit_store_errors_total',
        help: 'Requests whose rate-limit count in Redis failed or timed out (a timed-out count may still have been made); those waiting for it were let through unlimited.',
        registers: [settings.registry],
      }),
  );
  let failing = false;
  const watch = (counter: SharedCounter): SharedCounter => ({
    add(key, requests, windowMs, callback) {
      addOnce(counter, key, requests, windowMs, (error, result) => {
        if (error) {
          errors.inc(requests);
          if (!failing) settings.log.warn({ err: error }, 'rate limit store unreachable: requests are not limited until it is back');
          failing = true;
        } else if (failing) {
          failing = false;
          settings.log.info('rate limit store reachable again');
        }
        callback(error, result);
      });
    },
    child: (namespace) => watch(counter.child(namespace)),
  });
  return watch(redisCounter(settings.redis, `${settings.keyPrefix}:rate-limit:`));
}

/**
 * Per-caller rate limit for the authenticated API, counted in Redis so that N gateway replicas
 * allow the limit once, not N times; a caller well within it does not wait for the count
 * (withLocalView). Register it first in the /v1 plugin, and await it: it
 * attaches to the routes declared after it. Its hook runs after authentication (route hooks
 * follow the plugin's onRequest hook), so the key is the principal, not an address that many
 * users of one office share.
 */
export async function registerRateLimit(v1: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  const store = withLocalView(watchedCounter(settings));
  v1.addHook('onClose', async () => store.close());
  await v1.register(rateLimit, {
    max: settings.max,
    timeWindow: 60_000,
    // The plugin instantiates its store with `new`: a constructor that answers this one.
    store: function localView() {
      return store;
    } as never,
    skipOnError: true,
    keyGenerator: (request) => {
      const principal = request.principal;
      if (!principal) return `ip:${request.ip}`;
      if (principal.kind === 'superadmin') return `superadmin:${principal.id}`;
      // Each API key has a budget of its own: a busy integration never starves its user's browser.
      return principal.apiKey ? `api-key:${principal.apiKey.id}` : `user:${principal.user.id}`;
    },
    errorResponseBuilder: (_request, context) => new RateLimitedError(context.after),
  });
}
