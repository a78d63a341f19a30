import { claimOutboxJobs, deleteOutboxJobs, withPlatform, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Producer, QueuedJob } from '@callvault/queue';
import type { Counter } from 'prom-client';
import { createDrainLoop, type DrainLoop } from './drain-loop';
import { withTimeout } from './with-timeout';

const BATCH = 500;
/** A slow or absent Redis must not hold the claimed rows (and their transaction) for long. */
const ENQUEUE_DEADLINE_MS = 5_000;

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
        await withTimeout(deps.producer.enqueueMany(jobs as unknown as QueuedJob[]), ENQUEUE_DEADLINE_MS);
        await deleteOutboxJobs(
          tx,
          jobs.map((job) => job.id),
        );
        deps.relayed?.inc(jobs.length);
        return jobs.length;
      }),
  });
}
