import type { RedisTarget } from '@callvault/config';
import { createRedis } from './connection';
import { createProducer, type Producer } from './producer';

/**
 * A producer on a Redis connection of its own, for tests, harnesses and scripts that own both:
 * closing it closes the queues, then drops the connection. Services keep the two apart, because
 * their shutdown closes queues and Redis as separate steps.
 */
export function connectProducer(target: RedisTarget, prefix: string): Producer {
  const redis = createRedis(target, 'producer');
  const producer = createProducer(redis, prefix);
  return {
    ...producer,
    async close() {
      await producer.close();
      redis.disconnect();
    },
  };
}
