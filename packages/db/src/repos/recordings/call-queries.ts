import { sql, type SelectQueryBuilder } from 'kysely';
import type { ReadScope, ReadTx } from '../../read-scope';
import type { Call, Database, Recording, TranscriptStatus } from '../../schema';
import { matchesSearch, whereInScope } from '../recording-queries';
import { sortedPage, sortValueOf, type SortOrder, type SortPosition } from '../keyset-page';
import { inScope, type InScope } from '../../in-scope';

export type CallSortBy = 'startedAt' | 'duration' | 'createdAt';

export interface CallFilters {
  status?: string;
  direction?: string;
  ownerUserId?: string;
  from?: Date;
  to?: Date;
  search?: string;
}

export interface CallPageRequest {
  filters: CallFilters;
  sortBy: CallSortBy;
  sortOrder: SortOrder;
  limit: number;
  after: SortPosition | null;
}

export type CallPageRow = Call & { sort_value: string | number | null };

const SORT_SPECS = {
  startedAt: { column: 'calls.started_at', type: 'timestamptz', nullable: true },
  duration: { column: 'calls.duration_seconds', type: 'integer', nullable: true },
  createdAt: { column: 'calls.created_at', type: 'timestamptz', nullable: false },
} as const;

/**
 * The scope's filters on calls, by the call's own owner exactly as recordings are scoped by
 * theirs: agent → own, manager → own + reports, company_admin → company, superadmin → all or one.
 */
// biome-ignore lint/suspicious/noExplicitAny: any selection of calls: the filter only adds WHERE clauses.
export function whereCallInScope<QB extends SelectQueryBuilder<Database, 'calls', any>>(query: QB, scope: ReadScope): QB {
  let scoped = query;
  if (scope.kind === 'company') {
    scoped = scoped.where('calls.company_id', '=', scope.companyId) as QB;
    if (scope.ownerUserIds !== null) {
      // An empty owner list must match nothing, never everything.
      if (scope.ownerUserIds.length === 0) return scoped.where(sql<boolean>`false`) as QB;
      scoped = scoped.where('calls.owner_user_id', 'in', scope.ownerUserIds) as QB;
    }
  } else if (scope.companyId) {
    scoped = scoped.where('calls.company_id', '=', scope.companyId) as QB;
  }
  return scoped;
}

export async function listCallsPage(tx: ReadTx, request: CallPageRequest): Promise<CallPageRow[]> {
  const scope = tx.readScope;
  const { filters } = request;
  let query = whereCallInScope(tx.selectFrom('calls').selectAll(), scope);
  if (filters.status) query = query.where('calls.status', '=', filters.status);
  if (filters.direction) query = query.where('calls.direction', '=', filters.direction);
  if (filters.ownerUserId) query = query.where('calls.owner_user_id', '=', filters.ownerUserId);
  if (filters.from) query = query.where('calls.started_at', '>=', filters.from);
  if (filters.to) query = query.where('calls.started_at', '<', filters.to);
  if (filters.search) query = query.where(matchesSearch('calls', filters.search));
  const sort = SORT_SPECS[request.sortBy];
  return sortedPage(
    query.select(sortValueOf(sort).as('sort_value')),
    { ...sort, idColumn: 'calls.id', order: request.sortOrder },
    request.after,
    request.limit,
  );
}

export async function getCallInScope(tx: ReadTx, callId: string): Promise<InScope<Call> | undefined> {
  return inScope(await whereCallInScope(tx.selectFrom('calls').selectAll(), tx.readScope).where('calls.id', '=', callId).execute())[0];
}

export interface CallRecordingDetails {
  recording: Recording;
  transcript: { status: TranscriptStatus; source: string | null; language: string | null; redactionCount: number } | null;
  metrics: Record<string, unknown> | null;
}

/**
 * A call's recordings that the scope may see (deleted ones excluded), oldest first, each with
 * its transcript summary and analytics. The recording scope applies on its own: a call visible to
 * a manager does not widen which recordings they see.
 */
export async function listCallRecordingDetails(tx: ReadTx, call: InScope<Pick<Call, 'id' | 'company_id'>>): Promise<CallRecordingDetails[]> {
  const scope = tx.readScope;
  const rows = await whereInScope(tx.selectFrom('recordings').selectAll('recordings'), scope)
    .leftJoin('transcripts', (join) =>
      join.onRef('transcripts.company_id', '=', 'recordings.company_id').onRef('transcripts.recording_id', '=', 'recordings.id'),
    )
    .leftJoin('call_metrics', (join) =>
      join.onRef('call_metrics.company_id', '=', 'recordings.company_id').onRef('call_metrics.recording_id', '=', 'recordings.id'),
    )
    .select([
      'transcripts.status as transcript_status',
      'transcripts.source as transcript_source',
      'transcripts.language as transcript_language',
      'transcripts.redaction_count as transcript_redaction_count',
      'call_metrics.metrics as metrics',
    ])
    .where('recordings.company_id', '=', call.company_id)
    .where('recordings.call_id', '=', call.id)
    .where('recordings.status', '<>', 'deleted')
    .orderBy('recordings.created_at')
    .orderBy('recordings.id')
    .execute();
  return rows.map(({ transcript_status, transcript_source, transcript_language, transcript_redaction_count, metrics, ...recording }) => ({
    recording,
    transcript:
      transcript_status === null
        ? null
        : { status: transcript_status, source: transcript_source, language: transcript_language, redactionCount: transcript_redaction_count ?? 0 },
    metrics: metrics ?? null,
  }));
}
