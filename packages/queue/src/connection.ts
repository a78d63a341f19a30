import { Redis, type RedisOptions } from 'ioredis';

/**
 * BullMQ needs `maxRetriesPerRequest: null` on worker connections (blocking commands).
 * Producers fail fast instead, so a webhook reply is never held hostage by a Redis outage.
 */
export function createRedis(url: string, role: 'worker' | 'producer'): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 2_000 };
  const redis = new Redis(url, { ...options, lazyConnect: false });
  // Connection errors are retried by ioredis and reported through readiness, not by crashing.
  redis.on('error', () => undefined);
  return redis;
}
