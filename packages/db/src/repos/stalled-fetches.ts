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
  await tx.updateTable('recordings').set({ fetch_requested_at: sql<Date>`now()` }).where('id', 'in', recordingIds).where('status', 'in', ['pending', 'fetching']).execute();
}
