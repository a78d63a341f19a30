import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { ReadScope, ReadTx, ScopedTx } from '../read-scope';
import type { Database, Recording } from '../schema';
import { sortedPage, sortValueOf, type SortOrder, type SortPosition } from './keyset-page';
import { inScope, type InScope } from '../in-scope';
import { assertOwnCompany } from '../own-company';

export type RecordingSortBy = 'startedAt' | 'duration' | 'createdAt';

export interface RecordingFilters {
  status?: string;
  direction?: string;
  category?: string;
  starred?: boolean;
  archived?: boolean;
  ownerUserId?: string;
  from?: Date;
  to?: Date;
  search?: string;
}

export interface RecordingPageRequest {
  filters: RecordingFilters;
  sortBy: RecordingSortBy;
  sortOrder: SortOrder;
  limit: number;
  /** Keyset position: the sort value and id of the last row of the previous page. */
  after: SortPosition | null;
}

/** A listed recording with the exact value of its sort column, for the next cursor. */
export type RecordingPageRow = Recording & { sort_value: string | number | null };

const SORT_SPECS = {
  startedAt: { column: 'recordings.started_at', type: 'timestamptz', nullable: true },
  duration: { column: 'recordings.duration_seconds', type: 'integer', nullable: true },
  createdAt: { column: 'recordings.created_at', type: 'timestamptz', nullable: false },
} as const;

type RecordingQuery = SelectQueryBuilder<Database, 'recordings', Recording>;

/** The scope's filters. Every read of recordings goes through this: there is no unscoped variant. */
// biome-ignore lint/suspicious/noExplicitAny: any selection of recordings: the filter only adds WHERE clauses.
export function whereInScope<QB extends SelectQueryBuilder<Database, 'recordings', any>>(query: QB, scope: ReadScope): QB {
  let scoped = query;
  if (scope.kind === 'company') {
    scoped = scoped.where('recordings.company_id', '=', scope.companyId) as QB;
    if (scope.ownerUserIds !== null) {
      // An empty owner list must match nothing, never everything.
      if (scope.ownerUserIds.length === 0) return scoped.where(sql<boolean>`false`) as QB;
      scoped = scoped.where('recordings.owner_user_id', 'in', scope.ownerUserIds) as QB;
    }
  } else if (scope.companyId) {
    scoped = scoped.where('recordings.company_id', '=', scope.companyId) as QB;
  }
  return scoped;
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

const PHONE_LIKE = /^[+\d\s().-]+$/;

/**
 * `search` is a phone number (any formatting: only its digits are compared, with both ends of
 * the call) or a part of the owner's name or email. The owner lookup stays in the row's company.
 */
export function matchesSearch(table: 'recordings' | 'calls', search: string): RawBuilder<boolean> {
  const from = sql.ref(`${table}.from_number`);
  const to = sql.ref(`${table}.to_number`);
  const digits = search.replace(/\D/g, '');
  if (PHONE_LIKE.test(search) && digits.length > 0) {
    const pattern = `%${digits}%`;
    return sql<boolean>`(${from} LIKE ${pattern} OR ${to} LIKE ${pattern})`;
  }
  const pattern = `%${escapeLike(search)}%`;
  return sql<boolean>`(${from} LIKE ${pattern} OR ${to} LIKE ${pattern} OR ${sql.ref(`${table}.owner_user_id`)} IN (
    SELECT owner.id FROM users owner
    WHERE owner.company_id = ${sql.ref(`${table}.company_id`)} AND (owner.name ILIKE ${pattern} OR owner.email ILIKE ${pattern})))`;
}

function applyFilters(query: RecordingQuery, filters: RecordingFilters): RecordingQuery {
  let filtered = query.where('recordings.status', '<>', 'deleted');
  if (filters.status) filtered = filtered.where('recordings.status', '=', filters.status as Recording['status']);
  if (filters.direction) filtered = filtered.where('recordings.direction', '=', filters.direction);
  if (filters.category) filtered = filtered.where('recordings.category', '=', filters.category);
  if (filters.starred !== undefined) filtered = filtered.where('recordings.starred', '=', filters.starred);
  if (filters.archived !== undefined) filtered = filtered.where('recordings.archived', '=', filters.archived);
  if (filters.ownerUserId) filtered = filtered.where('recordings.owner_user_id', '=', filters.ownerUserId);
  if (filters.from) filtered = filtered.where('recordings.started_at', '>=', filters.from);
  if (filters.to) filtered = filtered.where('recordings.started_at', '<', filters.to);
  if (filters.search) filtered = filtered.where(matchesSearch('recordings', filters.search));
  return filtered;
}

/**
 * One page of recordings in scope, deleted ones excluded. Recordings without the sort value
 * (no duration yet, no start time) come last in both directions instead of dropping out.
 */
export async function listRecordingsPage(tx: ReadTx, request: RecordingPageRequest): Promise<RecordingPageRow[]> {
  const scope = tx.readScope;
  const sort = SORT_SPECS[request.sortBy];
  const base = applyFilters(whereInScope(tx.selectFrom('recordings').selectAll(), scope), request.filters).select(sortValueOf(sort).as('sort_value'));
  return sortedPage(base, { ...sort, idColumn: 'recordings.id', order: request.sortOrder }, request.after, request.limit);
}

export async function getRecordingInScope(tx: ReadTx, recordingId: string): Promise<InScope<Recording> | undefined> {
  const rows = await whereInScope(tx.selectFrom('recordings').selectAll(), tx.readScope)
    .where('recordings.id', '=', recordingId)
    .where('recordings.status', '<>', 'deleted')
    .execute();
  return inScope(rows)[0];
}

/**
 * Counts a play or download of a recording the caller found in its scope (getRecordingInScope):
 * the row names its own company, so the update is bound to it whatever the scope's kind.
 */
export async function countPlayback(tx: ScopedTx, recording: InScope<Pick<Recording, 'id' | 'company_id'>>, kind: 'play' | 'download'): Promise<void> {
  assertOwnCompany(tx, [recording], 'countPlayback');
  const update = tx.updateTable('recordings').where('id', '=', recording.id).where('company_id', '=', recording.company_id);
  await (kind === 'play'
    ? update.set({ play_count: sql`play_count + 1`, last_played_at: new Date() })
    : update.set({ download_count: sql`download_count + 1`, last_downloaded_at: new Date() })
  ).execute();
}
