import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { expect, it } from 'vitest';
import { createProducer, createRedis, deleteQueueKeys, describeJob, whenReady } from '@callvault/queue';
import { startRedisCluster } from '@callvault/testing';
import { defineCallJourney } from './call-journey';

/**
 * The journey on a real Redis Cluster (3 masters, 3 replicas, started here from redis-server):
 * BullMQ's scripts, the job schedulers' keys, the relay and the gateway's rate-limit script all
 * run against it, through the clients the configuration builds (REDIS_CLUSTER_NODES).
 */
const env = defineCallJourney('one call, end to end, on a Redis Cluster', startRedisCluster);

it("keeps each queue's keys in the hash slot of its name, the queues spread over the masters, and deletes them all", async () => {
  const client = createRedis(env().redis, 'producer');
  try {
    expect(client).toBeInstanceOf(Cluster);
    const cluster = client as Cluster;
    await new Promise((resolve) => (cluster.status === 'ready' ? resolve(undefined) : cluster.once('ready', resolve)));
    const prefix = env().config.QUEUE_PREFIX;
    const mastersByQueue = new Map<string, Set<string>>();
    let rateLimitCounters = 0;
    let replicaWaits = 0;
    for (const master of cluster.nodes('master')) {
      replicaWaits += Number(/cmdstat_wait:calls=(\d+)/.exec(await master.info('commandstats'))?.[1] ?? 0);
      let cursor = '0';
      do {
        const [next, keys] = await master.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        for (const key of keys) {
          // The gateway's rate-limit script ran on the cluster: its counters are there.
          if (key.startsWith(`${prefix}:rate-limit:`)) {
            rateLimitCounters++;
            continue;
          }
          const [, queue] = /^[^:]+:\{([a-z-]+)\}:([a-z-]+):/.exec(key) ?? [];
          expect(queue, key).toBeDefined();
          expect(key.split(':')[2], key).toBe(queue);
          mastersByQueue.set(queue!, (mastersByQueue.get(queue!) ?? new Set()).add(`${master.options.port}`));
        }
        cursor = next;
      } while (cursor !== '0');
    }
    expect([...mastersByQueue.keys()]).toEqual(expect.arrayContaining(['recording-fetch', 'transcription', 'analytics']));
    for (const [queue, masters] of mastersByQueue) expect(masters.size, queue).toBe(1);
    expect(rateLimitCounters).toBeGreaterThan(0);
    // Each enqueue waited for a replica to hold the job before the outbox row was deleted.
    expect(replicaWaits).toBeGreaterThan(0);
    expect(new Set([...mastersByQueue.values()].flatMap((masters) => [...masters])).size).toBeGreaterThan(1);

    // The cleanup tests and drills rely on scans every master and deletes key by key (no CROSSSLOT).
    expect(await deleteQueueKeys(env().redis, prefix)).toBeGreaterThan(0);
    const left = await Promise.all(cluster.nodes('master').map((master) => master.scan('0', 'MATCH', `${prefix}:*`, 'COUNT', 10_000)));
    expect(left.flatMap(([, keys]) => keys)).toEqual([]);
  } finally {
    client.disconnect();
  }
});

it('a queue first used while the cluster client is connected but not yet ready is rebuilt, not broken for good', async () => {
  const client = createRedis(env().redis, 'producer');
  const producer = createProducer(client, env().config.QUEUE_PREFIX);
  const job = () => describeJob('analytics', { companyId: randomUUID(), recordingId: randomUUID() });
  try {
    // 'connect' comes before the slots are read and 'ready': BullMQ already asks the version then.
    const tooEarly = await new Promise<{ attempt: Promise<void> }>((resolve) => client.once('connect', () => resolve({ attempt: producer.enqueue(job()) })));
    await expect(tooEarly.attempt).rejects.toThrow(/isn't ready/);
    await whenReady(client);
    const later = job();
    await producer.enqueue(later);
    expect(await producer.queue('analytics').getJob(later.jobId)).toBeDefined();
  } finally {
    await producer.close();
    client.disconnect();
  }
});
