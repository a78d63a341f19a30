import { getOrCreateMetric } from './metrics';
import { withTimeout } from './with-timeout';
import type { JobContext, QueueName, RunningWorker } from '@callvault/queue';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The job states a BullMQ queue reports; `prioritized` holds the sync backfill lane, `waiting` the fresh calls. */
export const QUEUE_JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed', 'paused', 'waiting-children'] as const;

/** What the collector needs of a queue: bullmq's `Queue` has it. */
export interface CountableQueue {
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  getJobs(types: ('waiting' | 'prioritized')[], start: number, end: number, asc: boolean): Promise<Array<{ timestamp: number } | undefined>>;
}

/**
 * When the job that has waited longest was created (ms), or null when none waits: the head of the
 * fresh lane (`waiting`, oldest first) and of the backfill lane (`prioritized`, next to run).
 * Depth says how much work there is; this age says how late it is, which is what users feel.
 */
async function oldestWaitingSince(queue: CountableQueue): Promise<number | null> {
  const heads = await Promise.all([queue.getJobs(['waiting'], 0, 0, true), queue.getJobs(['prioritized'], 0, 0, true)]);
  const times = heads.flatMap((jobs) => jobs.filter((job) => job !== undefined).map((job) => job.timestamp));
  return times.length > 0 ? Math.min(...times) : null;
}

/**
 * Queue depth per state, read from Redis on every scrape. Depth is a fact of Redis, not of the
 * process: several processes may report the same queue, so dashboards aggregate with
 * `max by (queue, state)`. A queue that does not answer within `timeoutMs` reports
 * `callvault_queue_up 0` and no counts, so a Redis outage never hangs or fails a scrape.
 * Registering again on the same registry adds queues; each is read once per scrape.
 */
export function registerQueueMetrics(
  registry: Registry,
  options: { queues: readonly QueueName[]; queueFor: (name: QueueName) => CountableQueue; timeoutMs?: number },
): void {
  const collector = collectors.get(registry) ?? createQueueCollector(registry, options.timeoutMs ?? 1_000);
  for (const name of options.queues) if (!collector.sources.has(name)) collector.sources.set(name, options.queueFor);
}

type QueueCounts = Map<QueueName, { byState: Record<string, number>; oldestSince: number | null } | null>;

interface QueueCollector {
  sources: Map<QueueName, (name: QueueName) => CountableQueue>;
}

const collectors = new WeakMap<Registry, QueueCollector>();

function createQueueCollector(registry: Registry, timeoutMs: number): QueueCollector {
  const collector: QueueCollector = { sources: new Map() };
  collectors.set(registry, collector);
  // The gauges are filled from one read of Redis per scrape (they are collected one after the other).
  let inFlight: Promise<QueueCounts> | undefined;
  let last: { at: number; counts: QueueCounts } | undefined;
  const read = (): Promise<QueueCounts> => {
    if (inFlight) return inFlight;
    if (last && Date.now() - last.at < 250) return Promise.resolve(last.counts);
    inFlight = (async () => {
      const entries = await Promise.all(
        [...collector.sources].map(async ([name, queueFor]) => {
          try {
            const queue = queueFor(name);
            const [byState, oldestSince] = await withTimeout(Promise.all([queue.getJobCounts(...QUEUE_JOB_STATES), oldestWaitingSince(queue)]), timeoutMs);
            return [name, { byState, oldestSince }] as const;
          } catch {
            return [name, null] as const;
          }
        }),
      );
      const counts: QueueCounts = new Map(entries);
      last = { at: Date.now(), counts };
      return counts;
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  new Gauge({
    name: 'callvault_queue_up',
    help: '1 when this scrape read the queue counts from Redis in time, else 0.',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const counts = await read();
      this.reset();
      for (const [queue, read] of counts) this.set({ queue }, read ? 1 : 0);
    },
  });
  new Gauge({
    name: 'callvault_queue_jobs',
    help: 'Jobs per queue and state (waiting, prioritized, active, delayed, failed, completed, paused, waiting-children), read at scrape time.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const counts = await read();
      this.reset();
      for (const [queue, read] of counts) {
        if (read) for (const state of QUEUE_JOB_STATES) this.set({ queue, state }, read.byState[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'callvault_queue_oldest_waiting_seconds',
    help: 'Age of the job that has waited longest to start (fresh lane: oldest waiting; backfill lane: next to run), 0 when none waits; read at scrape time.',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const counts = await read();
      this.reset();
      const now = Date.now();
      for (const [queue, read] of counts) {
        if (read) this.set({ queue }, read.oldestSince === null ? 0 : Math.max(0, (now - read.oldestSince) / 1000));
      }
    },
  });
  return collector;
}

export interface WorkerMetrics {
  duration: Histogram<'queue' | 'outcome'>;
  attempts: Histogram<'queue' | 'outcome'>;
  finished: Counter<'queue' | 'outcome'>;
  stalled: Counter<'queue'>;
}

/** The job metrics, created once per registry (several workers of one process share them). */
export function workerMetrics(registry: Registry): WorkerMetrics {
  return {
    duration: getOrCreateMetric(
      registry,
      'callvault_job_duration_seconds',
      () =>
        new Histogram({
          name: 'callvault_job_duration_seconds',
          help: 'Time one attempt of a job ran, by queue and outcome (completed, retry: failed and will be retried, failed: failed for good).',
          labelNames: ['queue', 'outcome'],
          buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
          registers: [registry],
        }),
    ),
    attempts: getOrCreateMetric(
      registry,
      'callvault_job_attempts',
      () =>
        new Histogram({
          name: 'callvault_job_attempts',
          help: 'Attempts a job had used when it finished, by queue and outcome (completed, failed).',
          labelNames: ['queue', 'outcome'],
          buckets: [1, 2, 3, 4, 5, 6, 8, 10],
          registers: [registry],
        }),
    ),
    finished: getOrCreateMetric(
      registry,
      'callvault_jobs_total',
      () =>
        new Counter({
          name: 'callvault_jobs_total',
          help: 'Job attempts finished by this process, by queue and outcome (completed, retry, failed).',
          labelNames: ['queue', 'outcome'],
          registers: [registry],
        }),
    ),
    stalled: getOrCreateMetric(
      registry,
      'callvault_jobs_stalled_total',
      () =>
        new Counter({
          name: 'callvault_jobs_stalled_total',
          help: 'Jobs whose lock expired while active (a worker died or blocked the event loop); BullMQ moves them back to waiting.',
          labelNames: ['queue'],
          registers: [registry],
        }),
    ),
  };
}

type Job = JobContext['job'];

/**
 * Observes a worker's `completed`, `failed` and `stalled` events. A failure is a `retry` while
 * attempts remain and the error is not an UnrecoverableError, else `failed` (the job stays in the
 * failed set). Durations come from BullMQ's own timestamps of the attempt.
 */
export function instrumentWorker(worker: RunningWorker['worker'], registry: Registry, queue: QueueName): void {
  const metrics = workerMetrics(registry);
  const observe = (job: Job, outcome: 'completed' | 'retry' | 'failed') => {
    const started = job.processedOn;
    if (started) metrics.duration.observe({ queue, outcome }, Math.max(0, ((job.finishedOn ?? Date.now()) - started) / 1000));
    metrics.finished.inc({ queue, outcome });
    if (outcome !== 'retry') metrics.attempts.observe({ queue, outcome }, Math.max(1, job.attemptsMade));
  };
  worker.on('completed', (job) => observe(job, 'completed'));
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = error?.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    observe(job, final ? 'failed' : 'retry');
  });
  worker.on('stalled', () => metrics.stalled.inc({ queue }));
}
