import { claimOutboxJobs, deleteOutboxJobs, withPlatform, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Producer, QueuedJob } from '@callvault/queue';
import { finishSpan, SpanKind, startSpan, traceparentOf, tracingOn, type Span } from '@callvault/tracing';
import type { Counter } from 'prom-client';
import { createDrainLoop, type DrainLoop } from './drain-loop';
import { withTimeout } from './with-timeout';

const BATCH = 500;
/** A slow or absent Redis must not hold the claimed rows (and their transaction) for long. */
const ENQUEUE_DEADLINE_MS = 5_000;

/**
 * The producer span of each job that continues a trace, under the span that committed it; the job
 * carries the producer span's traceparent, so its run hangs under the moment it reached the queue.
 * A job committed outside any trace (or with tracing off) gets none.
 */
function startSendSpans(jobs: QueuedJob[]): { jobs: QueuedJob[]; spans: Span[] } {
  if (!tracingOn()) return { jobs, spans: [] };
  const spans: Span[] = [];
  const sent = jobs.map((job) => {
    if (!job.traceparent) return job;
    const attributes = {
      'messaging.system': 'bullmq',
      'messaging.operation.type': 'send',
      'messaging.destination.name': job.queue,
      'messaging.message.id': job.jobId,
    };
    const span = startSpan(`send ${job.queue}`, { kind: SpanKind.PRODUCER, parent: job.traceparent, attributes });
    if (span) spans.push(span);
    return { ...job, traceparent: traceparentOf(span) ?? job.traceparent };
  });
  return { jobs: sent, spans };
}

/**
 * Puts committed jobs into Redis: claims outbox rows (SKIP LOCKED, so relays of several processes
 * share the work), enqueues them with their deterministic ids and deletes them, in one transaction.
 * When Redis refuses, the transaction rolls back and the rows wait for the next pass; a job
 * enqueued twice is one job. Every process that commits jobs runs one and wakes it after its
 * commits; the idle poll picks up what others left behind.
 */
export function createOutboxRelay(deps: { db: Db; producer: Producer; log: Logger; relayed?: Counter; idleMs?: number }): DrainLoop {
  return createDrainLoop({
    what: 'outbox relay pass',
    log: deps.log,
    batchSize: BATCH,
    idleMs: deps.idleMs ?? 1_000,
    pass: () =>
      withPlatform(deps.db, async (tx) => {
        const jobs = await claimOutboxJobs(tx, BATCH);
        if (jobs.length === 0) return 0;
        const sending = startSendSpans(jobs as unknown as QueuedJob[]);
        try {
          await withTimeout(deps.producer.enqueueMany(sending.jobs), ENQUEUE_DEADLINE_MS);
        } catch (error) {
          for (const span of sending.spans) finishSpan(span, error);
          throw error;
        }
        for (const span of sending.spans) finishSpan(span);
        await deleteOutboxJobs(
          tx,
          jobs.map((job) => job.id),
        );
        deps.relayed?.inc(jobs.length);
        return jobs.length;
      }),
  });
}
