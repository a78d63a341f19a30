import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '@callvault/queue';
import { TEST_REDIS_URL } from '../src/global-setup';
import { startPrivateRedis, type PrivateRedis } from '../src/private-redis';
import { createTestEnvironment } from '../src/test-environment';

let machine: ReturnType<typeof createRedis>;

beforeAll(() => {
  machine = createRedis({ kind: 'standalone', url: TEST_REDIS_URL }, 'producer');
});
afterAll(() => machine.quit());

describe('createTestEnvironment close()', () => {
  it("deletes its queue prefix's keys on the machine's Redis, and no other prefix's", async () => {
    const env = await createTestEnvironment();
    const prefix = env.config.QUEUE_PREFIX;
    const neighbour = `${prefix}x:{calls}:meta`; // shares the prefix's text, not its `<prefix>:` namespace
    const own = [`${prefix}:{calls}:meta`, `${prefix}:rate-limit:user:1`];
    try {
      for (const key of [...own, neighbour]) await machine.set(key, '1');

      await env.close();

      expect(await machine.exists(...own)).toBe(0);
      expect(await machine.exists(neighbour)).toBe(1);
    } finally {
      await machine.del(...own, neighbour);
    }
  });

  it('closes without reaching for a Redis the test brought and stopped (it would wait for it, then throw)', async () => {
    const own: PrivateRedis = await startPrivateRedis();
    try {
      const env = await createTestEnvironment({ REDIS_URL: own.url });
      await own.stop();
      await expect(env.close()).resolves.toBeUndefined();
    } finally {
      await own.close();
    }
  });
});
