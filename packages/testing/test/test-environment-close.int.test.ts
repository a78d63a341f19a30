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
    const neighbour = `${prefix}x`; // shares the prefix's text, not its `<prefix>:` namespace
    await machine.set(`${prefix}:{calls}:meta`, '1');
    await machine.set(`${prefix}:rate-limit:user:1`, '1');
    await machine.set(`${neighbour}:{calls}:meta`, '1');

    await env.close();

    expect(await machine.exists(`${prefix}:{calls}:meta`, `${prefix}:rate-limit:user:1`)).toBe(0);
    expect(await machine.exists(`${neighbour}:{calls}:meta`)).toBe(1);
    await machine.del(`${neighbour}:{calls}:meta`);
  });

  it("leaves the machine's Redis alone when the test brought its own, even once that one is stopped", async () => {
    const own: PrivateRedis = await startPrivateRedis();
    try {
      const env = await createTestEnvironment({ REDIS_URL: own.url });
      const key = `${env.config.QUEUE_PREFIX}:{calls}:meta`;
      await machine.set(key, 'not the test environment’s to delete');
      await own.stop();

      await env.close();

      expect(await machine.get(key)).toBe('not the test environment’s to delete');
      await machine.del(key);
    } finally {
      await own.close();
    }
  });
});
