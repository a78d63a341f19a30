import { listStalledFetches, markFetchesRedriven, withPlatform, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import { describeJob, type Producer } from '@callvault/queue';
import type { Counter } from 'prom-client';
import { periodicTask, type PeriodicTask } from '@callvault/service-kit';
import { BACKFILL_PRIORITY } from './sync/provider-sync.processor';

export interface FetchRedrive extends PeriodicTask {
  /** One pass: re-enqueue the fetches of recordings stalled in pending/fetching. Returns how many. */
  runOnce(): Promise<number>;
}

/**
 * The safety net under the queue: Redis holds jobs, Postgres holds what was promised. A recording
 * still pending or fetching long after its fetch was decided gets its fetch job again, under the
 * same deterministic id, so a job that still exists is left alone and only a lost one comes back.
 * Re-driven jobs go to the backfill lane: they never delay fresh calls.
 */
export function createFetchRedrive(deps: { db: Db; producer: Producer; log: Logger; stalledAfterSeconds: number; redriven?: Counter }): FetchRedrive {
  const runOnce = async () => {
    const stalled = await withPlatform(deps.db, (tx) => listStalledFetches(tx, deps.stalledAfterSeconds, 500));
    if (stalled.length === 0) return 0;
    await deps.producer.enqueueMany(stalled.map((entry) => ({ ...describeJob('recording-fetch', entry), priority: BACKFILL_PRIORITY })));
    await withPlatform(deps.db, (tx) => markFetchesRedriven(tx, stalled.map((entry) => entry.recordingId)));
    deps.redriven?.inc(stalled.length);
    deps.log.warn({ count: stalled.length }, 're-enqueued fetches of recordings stalled in pending/fetching');
    return stalled.length;
  };
  return { runOnce, ...periodicTask(deps.log, 'fetch re-drive pass', runOnce) };
}

/** Passes often enough to catch a stalled fetch soon after the threshold, at most once a minute. */
export function redriveIntervalMs(stalledAfterSeconds: number): number {
  return Math.min(60_000, Math.max(5_000, (stalledAfterSeconds * 1000) / 4));
}
