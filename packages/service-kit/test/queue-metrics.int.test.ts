import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@callvault/logging';
import {
  connectProducer,
  createRedis,
  deleteQueueKeys,
  describeJob,
  QUEUE_NAMES,
  runWorker,
  UnrecoverableError,
  type Producer,
  type RedisClient,
  type RunningWorker,
} from '@callvault/queue';
import { waitFor } from '@callvault/testing';
import type { RedisTarget } from '@callvault/config';
import { createMetricsRegistry, instrumentWorker, registerQueueMetrics } from '../src';

const redis: RedisTarget = { kind: 'standalone', url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
const prefix = `test-metrics-${randomBytes(5).toString('hex')}`;
const log = createLogger({ name: 'test', level: 'silent' });
let workerRedis: RedisClient;
let producer: Producer;
const workers: RunningWorker[] = [];

beforeAll(() => {
  workerRedis = createRedis(redis, 'worker');
  producer = connectProducer(redis, prefix);
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close(1_000)));
  await producer?.close();
  await deleteQueueKeys(redis, prefix);
  workerRedis?.disconnect();
});

/** One sample line of the exposition text, e.g. `callvault_queue_jobs{...} 2`, read as a number. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([key, value]) => body.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

const ids = () => ({ companyId: randomUUID(), recordingId: randomUUID() });

describe('queue depth gauges', () => {
  it('reports every state of every queue at scrape time, read from Redis', async () => {
    const registry = createMetricsRegistry('test');
    registerQueueMetrics(registry, { queues: QUEUE_NAMES, queueFor: (name) => producer.queue(name) });
    await producer.enqueue(describeJob('recording-fetch', ids()));
    await producer.enqueue(describeJob('recording-fetch', ids()));
    await producer.queue('transcription').add('transcription', ids(), { jobId: `delayed-${randomUUID()}`, delay: 60_000 });
    await producer.enqueue({ ...describeJob('recording-fetch', ids()), priority: 10 });

    const text = await registry.metrics();
    expect(sample(text, 'callvault_queue_jobs', { queue: 'recording-fetch', state: 'waiting' })).toBe(2);
    expect(sample(text, 'callvault_queue_jobs', { queue: 'recording-fetch', state: 'prioritized' })).toBe(1);
    expect(sample(text, 'callvault_queue_jobs', { queue: 'transcription', state: 'delayed' })).toBe(1);
    for (const queue of QUEUE_NAMES) {
      expect(sample(text, 'callvault_queue_up', { queue }), queue).toBe(1);
      for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
        expect(sample(text, 'callvault_queue_jobs', { queue, state, service: 'test' }), `${queue} ${state}`).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('answers a scrape quickly with callvault_queue_up 0 when a queue does not answer in time', async () => {
    const registry = createMetricsRegistry('test');
    registerQueueMetrics(registry, {
      queues: ['analytics'],
      queueFor: () => ({ getJobCounts: () => new Promise(() => undefined), getJobs: () => new Promise(() => undefined) }),
      timeoutMs: 100,
    });
    const started = Date.now();
    const text = await registry.metrics();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sample(text, 'callvault_queue_up', { queue: 'analytics' })).toBe(0);
    expect(sample(text, 'callvault_queue_jobs', { queue: 'analytics', state: 'waiting' })).toBeUndefined();
  });

  it('reports how long the longest-waiting job has waited, in either lane, and 0 for a queue with none', async () => {
    const registry = createMetricsRegistry('test');
    registerQueueMetrics(registry, { queues: ['tenant-lookup', 'event-replay'], queueFor: (name) => producer.queue(name) });
    const lookups = producer.queue('tenant-lookup');
    // Created 90 s and 30 s ago (BullMQ keeps the creation time a job is given), and a backfill job 300 s ago.
    await lookups.add('tenant-lookup', { eventId: randomUUID() }, { jobId: randomUUID(), timestamp: Date.now() - 90_000 });
    await lookups.add('tenant-lookup', { eventId: randomUUID() }, { jobId: randomUUID(), timestamp: Date.now() - 30_000 });
    let text = await registry.metrics();
    const age = sample(text, 'callvault_queue_oldest_waiting_seconds', { queue: 'tenant-lookup' })!;
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);
    expect(sample(text, 'callvault_queue_oldest_waiting_seconds', { queue: 'event-replay' })).toBe(0);

    await lookups.add('tenant-lookup', { eventId: randomUUID() }, { jobId: randomUUID(), timestamp: Date.now() - 300_000, priority: 5 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the collector's 250 ms reuse of one read
    text = await registry.metrics();
    expect(sample(text, 'callvault_queue_oldest_waiting_seconds', { queue: 'tenant-lookup' })).toBeGreaterThanOrEqual(300);
  });

  it('names the build each process runs', async () => {
    const text = await createMetricsRegistry('test').metrics();
    expect(sample(text, 'callvault_build_info', { service: 'test', version: 'dev', node: process.version })).toBe(1);
  });

  it('reports a queue once when two callers register it on one registry', async () => {
    const registry = createMetricsRegistry('test');
    registerQueueMetrics(registry, { queues: ['event-replay'], queueFor: (name) => producer.queue(name) });
    registerQueueMetrics(registry, { queues: ['event-replay', 'provider-sync'], queueFor: (name) => producer.queue(name) });
    const text = await registry.metrics();
    expect(text.split('\n').filter((line) => line.startsWith('callvault_queue_up{') && line.includes('queue="event-replay"'))).toHaveLength(1);
    expect(sample(text, 'callvault_queue_up', { queue: 'provider-sync' })).toBe(1);
  });
});

describe('job metrics', () => {
  it('observes duration, attempts and outcome of real jobs: completed, retried, failed for good', async () => {
    const registry = createMetricsRegistry('worker-test');
    const analytics = producer.queue('analytics');
    const succeed = ids();
    const flaky = ids();
    const poison = ids();
    const seenFlaky = new Set<string>();
    const worker = runWorker({
      queue: 'analytics',
      connection: workerRedis,
      prefix,
      concurrency: 2,
      log,
      process: async (payload) => {
        if (payload.recordingId === poison.recordingId) throw new UnrecoverableError('poison');
        if (payload.recordingId === flaky.recordingId && !seenFlaky.has(payload.recordingId)) {
          seenFlaky.add(payload.recordingId);
          throw new Error('transient');
        }
        await new Promise((resolve) => setTimeout(resolve, 30));
      },
    });
    workers.push(worker);
    instrumentWorker(worker.worker, registry, 'analytics');

    await analytics.add('analytics', succeed, { jobId: `ok-${succeed.recordingId}`, attempts: 3 });
    await analytics.add('analytics', flaky, { jobId: `flaky-${flaky.recordingId}`, attempts: 3, backoff: { type: 'fixed', delay: 10 } });
    await analytics.add('analytics', poison, { jobId: `poison-${poison.recordingId}`, attempts: 5 });
    // An invalid payload is an UnrecoverableError inside runWorker: it fails at once, for good.
    await analytics.add('analytics', { companyId: 'not-a-uuid' } as never, { jobId: `invalid-${randomUUID()}`, attempts: 5 });

    const text = await waitFor(
      async () => {
        const current = await registry.metrics();
        return sample(current, 'callvault_jobs_total', { queue: 'analytics', outcome: 'completed' }) === 2 &&
          sample(current, 'callvault_jobs_total', { queue: 'analytics', outcome: 'failed' }) === 2
          ? current
          : undefined;
      },
      { timeoutMs: 15_000, what: 'two completed and two failed analytics jobs' },
    );
    expect(sample(text, 'callvault_jobs_total', { queue: 'analytics', outcome: 'retry' })).toBe(1);
    expect(sample(text, 'callvault_job_duration_seconds_count', { queue: 'analytics', outcome: 'completed', service: 'worker-test' })).toBe(2);
    expect(sample(text, 'callvault_job_duration_seconds_sum', { queue: 'analytics', outcome: 'completed' })).toBeGreaterThanOrEqual(0.05);
    expect(sample(text, 'callvault_job_duration_seconds_count', { queue: 'analytics', outcome: 'retry' })).toBe(1);
    expect(sample(text, 'callvault_job_duration_seconds_count', { queue: 'analytics', outcome: 'failed' })).toBe(2);
    // Attempts at the end: the plain job 1, the flaky one 2, so the sum is 3; both poison jobs stopped after 1.
    expect(sample(text, 'callvault_job_attempts_count', { queue: 'analytics', outcome: 'completed' })).toBe(2);
    expect(sample(text, 'callvault_job_attempts_sum', { queue: 'analytics', outcome: 'completed' })).toBe(3);
    expect(sample(text, 'callvault_job_attempts_sum', { queue: 'analytics', outcome: 'failed' })).toBe(2);
    expect(sample(text, 'callvault_job_attempts_bucket', { queue: 'analytics', outcome: 'completed', le: '1' })).toBe(1);
    expect(text).toContain('# TYPE callvault_jobs_stalled_total counter');

    // The same queue's depth gauges see the failed set the operator has to look at.
    registerQueueMetrics(registry, { queues: ['analytics'], queueFor: (name) => producer.queue(name) });
    expect(sample(await registry.metrics(), 'callvault_queue_jobs', { queue: 'analytics', state: 'failed' })).toBe(2);
  });
});
