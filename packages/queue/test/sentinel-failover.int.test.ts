import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '@callvault/logging';
import { startRedisSentinel, type RedisSentinelUnderTest } from '@callvault/testing';
import { connectProducer, createRedis, describeJob, runWorker, type Producer, type RedisClient, type RunningWorker } from '../src';

/**
 * The master SIGKILLed while jobs are being added and worked, its replica promoted by the
 * Sentinels: every add that Redis acknowledged still completes, through the same clients, with
 * no restart. An add refused during the failover is retried, as the outbox relay retries.
 */
let sentinel: RedisSentinelUnderTest;
let producer: Producer;
let workerRedis: RedisClient;
let worker: RunningWorker;
const prefix = `test-failover-${randomBytes(4).toString('hex')}`;
const processed: string[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  sentinel = await startRedisSentinel();
  producer = connectProducer(sentinel.target, prefix);
  workerRedis = createRedis(sentinel.target, 'worker');
  worker = runWorker({
    queue: 'analytics',
    connection: workerRedis,
    prefix,
    concurrency: 4,
    lockSeconds: 5,
    log: createLogger({ name: 'test', level: 'silent' }),
    process: async (_payload, { job }) => {
      await sleep(10);
      processed.push(job.id!);
    },
  });
});

afterAll(async () => {
  await worker?.close(1_000);
  await producer?.close();
  workerRedis?.disconnect();
  await sentinel?.close();
});

/** WAIT commands the current master has run. */
async function waitsOnMaster(): Promise<number> {
  const master = createRedis({ kind: 'standalone', url: await sentinel.masterUrl() }, 'worker');
  try {
    return Number(/cmdstat_wait:calls=(\d+)/.exec(await master.info('commandstats'))?.[1] ?? 0);
  } finally {
    master.disconnect();
  }
}

it('loses no acknowledged job when the master is killed and a replica promoted', async () => {
  const acknowledged: string[] = [];
  let refused = 0;
  let killedAt = 0;
  let waitsBeforeKill = 0;
  let kill: Promise<{ port: number }> | undefined;
  const started = Date.now();
  for (let i = 0; i < 150; i++) {
    if (i === 50) {
      waitsBeforeKill = await waitsOnMaster();
      killedAt = Date.now();
      kill = sentinel.killMaster();
    }
    const job = describeJob('analytics', { companyId: randomUUID(), recordingId: randomUUID() });
    for (;;) {
      try {
        await producer.enqueue(job);
        acknowledged.push(job.jobId);
        break;
      } catch {
        refused++;
        await sleep(200);
      }
    }
    await sleep(20);
  }
  const former = await kill!;
  const promoted = await sentinel.waitForFailover(former.port);
  expect(promoted.port).not.toBe(former.port);

  const queue = producer.queue('analytics');
  const deadline = Date.now() + 30_000;
  let missing: string[] = acknowledged;
  while (missing.length > 0 && Date.now() < deadline) {
    const states = await Promise.all(missing.map(async (id) => [id, await queue.getJobState(id)] as const));
    missing = states.filter(([, state]) => state !== 'completed').map(([id]) => id);
    if (missing.length > 0) await sleep(250);
  }
  const lost = missing.filter((id) => !processed.includes(id));
  console.log(
    `sentinel failover: ${acknowledged.length} adds acknowledged (${refused} refused and retried) over ${((Date.now() - started) / 1000).toFixed(1)} s; master ${former.port} killed at +${((killedAt - started) / 1000).toFixed(1)} s, ${promoted.port} promoted; ${acknowledged.length - missing.length} completed, ${new Set(processed).size} processed (${processed.length - new Set(processed).size} twice); ${waitsBeforeKill} WAITs on the first master`,
  );
  expect(missing).toEqual([]);
  expect(lost).toEqual([]);
  // Each add waited for the replica to hold it (WAIT): what the master acknowledged survived it.
  expect(waitsBeforeKill).toBeGreaterThanOrEqual(50);
});
