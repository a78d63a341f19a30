import { insertOutboxJobs, listStalledFetches, listStalledFollowUps, markFetchesRedriven, withPlatform, type Db } from '@callvault/db';
import { BACKFILL_PRIORITY } from '@callvault/events';
import { describeJob } from '@callvault/queue';

export interface RedriveResult {
  fetches: number;
  transcriptions: number;
  analyses: number;
}

/**
 * The safety net under the queue: Redis holds jobs, Postgres holds what was promised. A recording
 * still pending or fetching long after its fetch was decided gets its fetch job again; a stored
 * recording without a transcript or metrics gets those jobs again. The ids are deterministic, so a
 * job that still exists is left alone and only a lost one comes back; re-driven fetches go to the
 * backfill lane, so they never delay fresh calls. The jobs go through the outbox like any other.
 */
export async function redriveJobs(db: Db, stalledAfterSeconds: number): Promise<RedriveResult> {
  return withPlatform(db, async (tx) => {
    const fetches = await listStalledFetches(tx, stalledAfterSeconds, 500);
    const followUps = await listStalledFollowUps(tx, { olderThanSeconds: stalledAfterSeconds, newerThanDays: 7 }, 500);
    await insertOutboxJobs(tx, [
      ...fetches.map((entry) => ({ ...describeJob('recording-fetch', entry), priority: BACKFILL_PRIORITY })),
      ...followUps.flatMap((entry) => [
        ...(entry.transcript ? [describeJob('transcription', { companyId: entry.companyId, recordingId: entry.recordingId })] : []),
        ...(entry.metrics ? [describeJob('analytics', { companyId: entry.companyId, recordingId: entry.recordingId })] : []),
      ]),
    ]);
    await markFetchesRedriven(
      tx,
      fetches.map((entry) => entry.recordingId),
    );
    return {
      fetches: fetches.length,
      transcriptions: followUps.filter((entry) => entry.transcript).length,
      analyses: followUps.filter((entry) => entry.metrics).length,
    };
  });
}

/** Passes often enough to catch a stalled job soon after the threshold, at most once a minute. */
export function redriveIntervalMs(stalledAfterSeconds: number): number {
  return Math.min(60_000, Math.max(5_000, (stalledAfterSeconds * 1000) / 4));
}
