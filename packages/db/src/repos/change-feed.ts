import { sql, type SelectQueryBuilder } from 'kysely';
import type { ReadTx, ScopedTx } from '../read-scope';
import type { Call, Database, FeedEntity, Recording, Transcript } from '../schema';
import { sortValueOf, type SortPosition } from './keyset-page';
import { whereInScope } from './recording-queries';

/** Where a feed page starts: after a cursor's position, or after a time (strictly later). */
export type FeedStart = { kind: 'position'; position: SortPosition } | { kind: 'time'; after: Date } | { kind: 'beginning' };

/** A row of the feed: a live row, or a tombstone (only id and times), with its exact `updated_at` text for the cursor. */
export type FeedRow<Live> =
  | { kind: 'live'; row: Live; id: string; sort_value: string }
  | { kind: 'tombstone'; id: string; deletedAt: Date; updatedAt: Date; sort_value: string };

const UPDATED_AT = { type: 'timestamptz' } as const;

/**
 * The time before which the feed is final: the start of the oldest transaction still open on this
 * database (other than ours), or now. `updated_at` is the time of a write (trigger), so every
 * row a still-open transaction has written or will write is at or after its start; every row
 * before the horizon is committed already and visible to the next statement. Read in its own
 * statement, before the rows, so a transaction that commits between the two is either seen
 * open here or seen committed there.
 */
async function feedHorizon(tx: ScopedTx): Promise<string> {
  const { rows } = await sql<{ horizon: string }>`
    SELECT to_char(least(clock_timestamp(), (
      SELECT min(xact_start) FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL
    )) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS horizon`.execute(tx);
  return rows[0]!.horizon;
}

// biome-ignore lint/suspicious/noExplicitAny: any selection: the window only adds WHERE clauses.
function inWindow<QB extends SelectQueryBuilder<Database, any, any>>(query: QB, column: string, idColumn: string, start: FeedStart, horizon: string): QB {
  let windowed = query.where(sql<boolean>`${sql.ref(column)} < ${horizon}::timestamptz`) as QB;
  if (start.kind === 'time') windowed = windowed.where(sql<boolean>`${sql.ref(column)} > ${start.after}`) as QB;
  if (start.kind === 'position') {
    windowed = windowed.where(
      sql<boolean>`(${sql.ref(column)}, ${sql.ref(idColumn)}) > (${String(start.position.value)}::timestamptz, ${start.position.id}::uuid)`,
    ) as QB;
  }
  return windowed.orderBy(sql.ref(column)).orderBy(sql.ref(idColumn)) as QB;
}

/** The hard-deleted rows of one entity in the scope's window; owner-narrowed like the live rows. */
async function tombstones(tx: ReadTx, entity: FeedEntity, start: FeedStart, horizon: string, limit: number): Promise<FeedRow<never>[]> {
  const scope = tx.readScope;
  let query = tx
    .selectFrom('feed_tombstones')
    .select([
      'feed_tombstones.id',
      'feed_tombstones.deleted_at',
      'feed_tombstones.updated_at',
      sortValueOf({ column: 'feed_tombstones.updated_at', ...UPDATED_AT }).as('sort_value'),
    ])
    .where('feed_tombstones.entity', '=', entity);
  if (scope.kind === 'company' || scope.companyId)
    query = query.where('feed_tombstones.company_id', '=', scope.kind === 'company' ? scope.companyId : scope.companyId!);
  if (scope.kind === 'company' && scope.ownerUserIds !== null) {
    if (scope.ownerUserIds.length === 0) return [];
    query = query.where('feed_tombstones.owner_user_id', 'in', scope.ownerUserIds);
  }
  const rows = await inWindow(query, 'feed_tombstones.updated_at', 'feed_tombstones.id', start, horizon).limit(limit).execute();
  return rows.map((row) => ({ kind: 'tombstone', id: row.id, deletedAt: row.deleted_at, updatedAt: row.updated_at, sort_value: String(row.sort_value) }));
}

/** The first `limit` of two lists each in (updated_at, id) order. */
function merged<Live>(live: FeedRow<Live>[], dead: FeedRow<Live>[], limit: number): FeedRow<Live>[] {
  const byPosition = (a: FeedRow<Live>, b: FeedRow<Live>) => (a.sort_value === b.sort_value ? (a.id < b.id ? -1 : 1) : a.sort_value < b.sort_value ? -1 : 1);
  return [...live, ...dead].sort(byPosition).slice(0, limit);
}

/** Recordings changed in the window, oldest change first; a deleted recording is a tombstone. */
export async function listRecordingChanges(tx: ReadTx, start: FeedStart, limit: number): Promise<FeedRow<Recording>[]> {
  const scope = tx.readScope;
  const horizon = await feedHorizon(tx);
  const query = whereInScope(tx.selectFrom('recordings').selectAll(), scope).select(
    sortValueOf({ column: 'recordings.updated_at', ...UPDATED_AT }).as('sort_value'),
  );
  const rows = await inWindow(query, 'recordings.updated_at', 'recordings.id', start, horizon).limit(limit).execute();
  const live = rows.map(
    ({ sort_value, ...row }): FeedRow<Recording> =>
      row.status === 'deleted'
        ? { kind: 'tombstone', id: row.id, deletedAt: row.deleted_at ?? row.updated_at, updatedAt: row.updated_at, sort_value: String(sort_value) }
        : { kind: 'live', row, id: row.id, sort_value: String(sort_value) },
  );
  return merged(live, await tombstones(tx, 'recording', start, horizon, limit), limit);
}

/** Calls changed in the window, oldest change first, scoped by their owner like the calls list. */
export async function listCallChanges(tx: ReadTx, start: FeedStart, limit: number): Promise<FeedRow<Call>[]> {
  const scope = tx.readScope;
  const horizon = await feedHorizon(tx);
  let query = tx
    .selectFrom('calls')
    .selectAll()
    .select(sortValueOf({ column: 'calls.updated_at', ...UPDATED_AT }).as('sort_value'));
  if (scope.kind === 'company' || scope.companyId) query = query.where('calls.company_id', '=', scope.kind === 'company' ? scope.companyId : scope.companyId!);
  if (scope.kind === 'company' && scope.ownerUserIds !== null) {
    if (scope.ownerUserIds.length === 0) return [];
    query = query.where('calls.owner_user_id', 'in', scope.ownerUserIds);
  }
  const rows = await inWindow(query, 'calls.updated_at', 'calls.id', start, horizon).limit(limit).execute();
  const live = rows.map(({ sort_value, ...row }): FeedRow<Call> => ({ kind: 'live', row, id: row.id, sort_value: String(sort_value) }));
  return merged(live, await tombstones(tx, 'call', start, horizon, limit), limit);
}

/** A transcript's metadata in the feed (its text is read, and audited, one recording at a time). */
export type TranscriptChange = Pick<
  Transcript,
  'id' | 'company_id' | 'recording_id' | 'status' | 'source' | 'language' | 'redaction_count' | 'created_at' | 'updated_at'
>;

/**
 * Transcripts changed in the window, scoped by their recording's owner; those of deleted
 * recordings are gone (tombstones, when `withTombstones`: the feed; the plain list leaves them out).
 */
export async function listTranscriptChanges(tx: ReadTx, start: FeedStart, limit: number, withTombstones = true): Promise<FeedRow<TranscriptChange>[]> {
  const scope = tx.readScope;
  const horizon = await feedHorizon(tx);
  const query = whereInScope(
    tx
      .selectFrom('transcripts')
      .innerJoin('recordings', (join) =>
        join.onRef('recordings.company_id', '=', 'transcripts.company_id').onRef('recordings.id', '=', 'transcripts.recording_id'),
      )
      .select([
        'transcripts.id',
        'transcripts.company_id',
        'transcripts.recording_id',
        'transcripts.status',
        'transcripts.source',
        'transcripts.language',
        'transcripts.redaction_count',
        'transcripts.created_at',
        'transcripts.updated_at',
        sortValueOf({ column: 'transcripts.updated_at', ...UPDATED_AT }).as('sort_value'),
      ]),
    scope,
  );
  const rows = await inWindow(query, 'transcripts.updated_at', 'transcripts.id', start, horizon).limit(limit).execute();
  const live = rows.map(({ sort_value, ...row }): FeedRow<TranscriptChange> => ({ kind: 'live', row, id: row.id, sort_value: String(sort_value) }));
  return withTombstones ? merged(live, await tombstones(tx, 'transcript', start, horizon, limit), limit) : live;
}
