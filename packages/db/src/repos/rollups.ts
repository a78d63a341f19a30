import { sql } from 'kysely';
import type { PlatformTx } from '../client';
import type { ReadTx } from '../read-scope';

/**
 * Recomputes the rollups of up to `limit` dirty company-days. Rows are claimed with SKIP LOCKED,
 * so several analytics replicas share the work; a day marked again meanwhile is picked up next pass.
 */
export async function refreshDirtyRollups(tx: PlatformTx, limit: number): Promise<number> {
  // Marks are appended, one per changed row: claim a batch, then refresh each distinct day once.
  const claimed = await sql<{ company_id: string; day: string }>`
    DELETE FROM rollup_dirty_days
    WHERE ctid IN (SELECT ctid FROM rollup_dirty_days ORDER BY marked_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING company_id, day::text AS day
  `.execute(tx);
  const days = new Map(claimed.rows.map((row) => [`${row.company_id}|${row.day}`, row]));
  for (const row of days.values()) {
    await sql`SELECT callvault_refresh_rollup_day(${row.company_id}::uuid, ${row.day}::date)`.execute(tx);
  }
  return days.size;
}

export interface StatsRequest {
  from: string | null;
  to: string | null;
}

export interface DailyStats {
  day: string;
  calls: number;
  answeredCalls: number;
  inboundCalls: number;
  outboundCalls: number;
  recordingsStored: number;
  recordingsFailed: number;
  recordingsOther: number;
  recordedSeconds: number;
  storedBytes: number;
  talkRatioSum: number;
  talkRatioCount: number;
}

/** Rollups in scope, summed per day. Owner filters match the recordings' scope rules. */
export async function readDailyStats(tx: ReadTx, request: StatsRequest): Promise<DailyStats[]> {
  const scope = tx.readScope;
  let query = tx.selectFrom('daily_rollups');
  if (scope.companyId) query = query.where('company_id', '=', scope.companyId);
  if (scope.kind === 'company' && scope.ownerUserIds !== null) {
    if (scope.ownerUserIds.length === 0) return [];
    query = query.where('owner_user_id', 'in', scope.ownerUserIds);
  }
  if (request.from) query = query.where(sql<boolean>`day >= ${request.from}::date`);
  if (request.to) query = query.where(sql<boolean>`day <= ${request.to}::date`);
  const rows = await query
    .select([
      sql<string>`day::text`.as('day'),
      sql<number>`sum(calls)::int`.as('calls'),
      sql<number>`sum(answered_calls)::int`.as('answeredCalls'),
      sql<number>`sum(inbound_calls)::int`.as('inboundCalls'),
      sql<number>`sum(outbound_calls)::int`.as('outboundCalls'),
      sql<number>`sum(recordings_stored)::int`.as('recordingsStored'),
      sql<number>`sum(recordings_failed)::int`.as('recordingsFailed'),
      sql<number>`sum(recordings_other)::int`.as('recordingsOther'),
      sql<string>`sum(recorded_seconds)::text`.as('recordedSeconds'),
      sql<string>`sum(stored_bytes)::text`.as('storedBytes'),
      sql<number>`sum(talk_ratio_sum)`.as('talkRatioSum'),
      sql<number>`sum(talk_ratio_count)::int`.as('talkRatioCount'),
    ])
    .groupBy('day')
    .orderBy('day')
    .execute();
  return rows.map((row) => ({ ...row, recordedSeconds: Number(row.recordedSeconds), storedBytes: Number(row.storedBytes) }));
}
