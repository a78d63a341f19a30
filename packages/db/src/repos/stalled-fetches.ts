import { sql } from 'kysely';
import type { PlatformTx } from '../client';

/**
 * Recordings whose fetch was decided long ago and that are still pending or fetching, oldest
 * first: their job may be gone (Redis restarted without persistence, a queue flushed by hand).
 * Also recordings whose job is merely slow match; re-enqueueing those is a no-op, because a job
 * id that still exists in the queue is never added twice.
 */
export async function listStalledFetches(tx: PlatformTx, olderThanSeconds: number, limit: number): Promise<Array<{ companyId: string; recordingId: string }>> {
  const rows = await tx
    .selectFrom('recordings')
    .select(['company_id', 'id'])
    .where('status', 'in', ['pending', 'fetching'])
    .where('fetch_requested_at', 'is not', null)
    .where('fetch_requested_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .orderBy('fetch_requested_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ companyId: row.company_id, recordingId: row.id }));
}

/** Restarts the clock of re-driven fetches, so each is re-driven at most once per period. */
export async function markFetchesRedriven(tx: PlatformTx, recordingIds: string[]): Promise<void> {
  if (recordingIds.length === 0) return;
  await tx
    .updateTable('recordings')
    .set({ fetch_requested_at: sql<Date>`now()` })
    .where('id', 'in', recordingIds)
    .where('status', 'in', ['pending', 'fetching'])
    .execute();
}

/**
 * Stored recordings whose transcript or metrics never came, stored between `newerThanDays` days
 * and `olderThanSeconds` seconds ago: their follow-up job may be gone with Redis. Re-enqueueing a
 * job whose id still exists (running, or failed for good) is a no-op.
 */
export async function listStalledFollowUps(
  tx: PlatformTx,
  window: { olderThanSeconds: number; newerThanDays: number },
  limit: number,
): Promise<Array<{ companyId: string; recordingId: string; transcript: boolean; metrics: boolean }>> {
  const rows = await sql<{ company_id: string; id: string; transcript: boolean; metrics: boolean }>`
    SELECT r.company_id, r.id,
      NOT EXISTS (SELECT 1 FROM transcripts t WHERE t.company_id = r.company_id AND t.recording_id = r.id) AS transcript,
      NOT EXISTS (SELECT 1 FROM call_metrics m WHERE m.company_id = r.company_id AND m.recording_id = r.id) AS metrics
    FROM recordings r
    WHERE r.status = 'stored'
      AND r.stored_at < now() - make_interval(secs => ${window.olderThanSeconds})
      AND r.stored_at > now() - make_interval(days => ${window.newerThanDays})
      AND (NOT EXISTS (SELECT 1 FROM transcripts t WHERE t.company_id = r.company_id AND t.recording_id = r.id)
        OR NOT EXISTS (SELECT 1 FROM call_metrics m WHERE m.company_id = r.company_id AND m.recording_id = r.id))
    ORDER BY r.stored_at LIMIT ${limit}`.execute(tx);
  return rows.rows.map((row) => ({ companyId: row.company_id, recordingId: row.id, transcript: row.transcript, metrics: row.metrics }));
}
