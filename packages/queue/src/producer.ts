import { Queue } from 'bullmq';
import { queuePrefixFor, type RedisClient } from './connection';
import { replicaAck } from './replica-ack';
import { currentTraceparent } from '@callvault/tracing';
import { queues, type JobPayload, type MaintenanceTask, type QueueName } from './contracts';
import { jobDataOf } from './job-trace';

export interface QueuedJob<Q extends QueueName = QueueName> {
  queue: Q;
  jobId: string;
  payload: JobPayload<Q>;
  /**
   * Backfill lane: BullMQ serves jobs without a priority before any prioritized job, so work
   * from a sync (priority set) never delays fresh calls (no priority).
   */
  priority?: number;
  /** The trace the job continues (W3C traceparent); only while tracing is on. */
  traceparent?: string;
}

/**
 * A job description built and validated before any Redis call, so it can also be stored for the
 * relay. It continues the active trace: built inside a request or a job, its own run joins it.
 */
export function describeJob<Q extends QueueName>(queue: Q, payload: JobPayload<Q>): QueuedJob<Q> {
  const parsed = queues[queue].payload.parse(payload) as JobPayload<Q>;
  const traceparent = currentTraceparent();
  return { queue, jobId: queues[queue].jobId(parsed as never), payload: parsed, ...(traceparent ? { traceparent } : {}) };
}

export interface Producer {
  enqueue(job: QueuedJob): Promise<void>;
  enqueueMany(jobs: QueuedJob[]): Promise<void>;
  /**
   * Runs a maintenance task every `everyMs`, once per period however many processes ask (a BullMQ
   * job scheduler keyed by the task: asking again only updates the period).
   */
  schedule(task: MaintenanceTask, everyMs: number): Promise<void>;
  queue(name: QueueName): Queue;
  close(): Promise<void>;
}

export function createProducer(connection: RedisClient, prefix: string): Producer {
  const byName = new Map<QueueName, Queue>();
  const replicated = replicaAck(connection, prefix);
  const queueFor = (name: QueueName) => {
    let queue = byName.get(name);
    if (!queue) {
      const created = new Queue(name, { connection, prefix: queuePrefixFor(connection, prefix, name) });
      created.on('error', () => undefined);
      // BullMQ asks the server its version once per queue and keeps a refusal for good. On a
      // cluster it asks as soon as the client says 'connect', before 'ready', and a fail-fast
      // client refuses: that queue is forgotten, so the next enqueue (the relay's retry) builds a new one.
      created.waitUntilReady().catch(() => {
        if (byName.get(name) === created) byName.delete(name);
        void created.close().catch(() => undefined);
      });
      byName.set(name, created);
      queue = created;
    }
    return queue;
  };
  const optionsFor = (job: QueuedJob) => {
    const contract = queues[job.queue];
    // The same job id twice is one job: BullMQ ignores the second add while the first exists.
    return {
      name: job.queue,
      data: jobDataOf(contract.payload.parse(job.payload), job.traceparent),
      opts: { ...contract.options, jobId: job.jobId, ...(job.priority ? { priority: job.priority } : {}) },
    };
  };
  const add = async (job: QueuedJob) => {
    const { name, data, opts } = optionsFor(job);
    await queueFor(job.queue).add(name, data, opts);
    await replicated(job.queue);
  };
  return {
    enqueue: add,
    /** One Redis round trip per queue (addBulk pipelines the adds), however many jobs, and on a replicated Redis one WAIT. */
    async enqueueMany(jobs) {
      const byQueue = new Map<QueueName, QueuedJob[]>();
      for (const job of jobs) {
        const list = byQueue.get(job.queue) ?? [];
        list.push(job);
        byQueue.set(job.queue, list);
      }
      await Promise.all(
        [...byQueue].map(async ([name, queued]) => {
          await queueFor(name).addBulk(queued.map(optionsFor));
          await replicated(name);
        }),
      );
    },
    async schedule(task, everyMs) {
      const data = queues.maintenance.payload.parse({ task });
      await queueFor('maintenance').upsertJobScheduler(task, { every: everyMs }, { name: 'maintenance', data, opts: queues.maintenance.options });
    },
    queue: queueFor,
    async close() {
      await Promise.all([...byName.values()].map((queue) => queue.close()));
    },
  };
}
