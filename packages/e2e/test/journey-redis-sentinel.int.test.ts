import { expect, it } from 'vitest';
import { createRedis } from '@callvault/queue';
import { startRedisSentinel, type RedisSentinelUnderTest } from '@callvault/testing';
import { defineCallJourney } from './call-journey';

/**
 * The journey through a Sentinel-managed master with a password (three Sentinels, one replica,
 * started here): every client finds the master through the Sentinels (REDIS_SENTINELS,
 * REDIS_SENTINEL_MASTER), as in production.
 */
let sentinel: RedisSentinelUnderTest;
const env = defineCallJourney('one call, end to end, through Redis Sentinel', async () => (sentinel = await startRedisSentinel()));

it('kept the queues on the master the Sentinels name, in the one-server key layout', async () => {
  const master = createRedis({ kind: 'standalone', url: await sentinel.masterUrl() }, 'worker');
  try {
    const keys = await master.keys(`${env().config.QUEUE_PREFIX}:*`);
    expect(keys).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${env().config.QUEUE_PREFIX}:recording-fetch:`))]));
  } finally {
    master.disconnect();
  }
});
