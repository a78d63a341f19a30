import { sql, type Kysely } from 'kysely';
import type { Database } from '@callvault/db';
import type { Principal, World } from './world';
import { administers, seesOwned } from './world-model';

/** Every table a request could touch, read as the schema owner (no RLS), one row per key. */
const TABLES = [
  'companies',
  'platform_admins',
  'users',
  'provider_accounts',
  'phone_numbers',
  'calls',
  'recordings',
  'transcripts',
  'call_metrics',
  'webhook_events',
  'audit_events',
  'daily_rollups',
  'rollup_dirty_days',
] as const;

type Row = Record<string, unknown>;
export type Snapshot = Map<string, Map<string, Row>>;

const keyOf = (table: string, row: Row) =>
  table === 'daily_rollups'
    ? `${row.company_id}:${row.day}:${row.owner_user_id}`
    : table === 'rollup_dirty_days'
      ? `${row.company_id}:${row.day}`
      : String(row.id);

export async function snapshot(db: Kysely<Database>): Promise<Snapshot> {
  const result: Snapshot = new Map();
  for (const table of TABLES) {
    const rows = await sql<Row>`SELECT * FROM ${sql.table(table)}`.execute(db);
    result.set(table, new Map(rows.rows.map((row) => [keyOf(table, row), row])));
  }
  return result;
}

/**
 * Rows the caller could not legitimately change: everything of another company, and inside its
 * own company the calls, recordings, transcripts and metrics outside its owner scope and the
 * administration rows of a company it does not administer. A superadmin may change anything.
 */
export function protectedFor(world: World, principal: Principal): (table: string, row: Row) => boolean {
  if (principal.role === 'superadmin') return () => false;
  const recordings = new Map(world.recordings.map((recording) => [recording.id, recording]));
  return (table, row) => {
    const companyId = (table === 'companies' ? row.id : row.company_id) as string | null;
    if (table === 'platform_admins' || companyId !== principal.companyId) return true;
    if (table === 'calls' || table === 'recordings') return !seesOwned(world, principal, { companyId, ownerUserId: row.owner_user_id as string | null });
    if (table === 'transcripts' || table === 'call_metrics') {
      const recording = recordings.get(row.recording_id as string);
      return !recording || !seesOwned(world, principal, recording);
    }
    if (table === 'users' || table === 'phone_numbers' || table === 'provider_accounts') return !administers(principal, companyId);
    return false;
  };
}

/** Rows added, removed or changed between two snapshots, limited to those `include` selects. */
export function changedRows(before: Snapshot, after: Snapshot, include: (table: string, row: Row) => boolean = () => true): string[] {
  const changes: string[] = [];
  for (const table of TABLES) {
    const old = before.get(table)!;
    const now = after.get(table)!;
    for (const [key, row] of now) {
      const previous = old.get(key);
      if (!previous && include(table, row)) changes.push(`${table} ${key} added`);
      else if (previous && JSON.stringify(previous) !== JSON.stringify(row) && (include(table, previous) || include(table, row)))
        changes.push(`${table} ${key} changed`);
    }
    for (const [key, row] of old) if (!now.has(key) && include(table, row)) changes.push(`${table} ${key} removed`);
  }
  return changes;
}
