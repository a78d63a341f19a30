import { sql, type RawBuilder } from 'kysely';
import type { ReadTx } from '../read-scope';
import { pastPosition, sortValueOf, type SortPosition, type SortSpec } from './keyset-page';
import { whereInScope } from './recording-queries';

export interface TranscriptSearchQuery {
  /** Web-search syntax: words, "quoted phrases", OR, -excluded. */
  q: string;
  limit: number;
  /** Keyset position: the rank (exact float4 text) and recording id of the last hit shown. */
  after: SortPosition | null;
}

export interface TranscriptSearchHit {
  /** Whose recording it is (a platform-wide superadmin search spans companies; not in the API). */
  companyId: string;
  recordingId: string;
  callId: string;
  rank: number;
  /** Up to two fragments of the transcript (or, when only they match, of the call's summary and topics), HTML-escaped, matches wrapped in <mark>…</mark>. */
  snippet: string;
  startedAt: Date | null;
  ownerUserId: string | null;
  /** The rank as Postgres computed it (float4 text), for the next cursor. */
  sort_value: string;
}

/** Best match first; equal ranks by recording id, so every hit has one place in the order and pages never overlap. */
const RANK_ORDER: SortSpec = { column: 'hits.rank', idColumn: 'hits.recording_id', type: 'real', nullable: false, order: 'desc' };

// ts_headline marks matches with these; the text is escaped afterwards and they become <mark> tags,
// so a transcript can never inject markup into a dashboard (control characters never reach a transcript).
const START = '\u0002';
const STOP = '\u0003';
const HEADLINE_OPTIONS = `StartSel="${START}", StopSel="${STOP}", MaxFragments=2`;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function markup(headline: string): string {
  return headline
    .replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!)
    .replaceAll(START, '<mark>')
    .replaceAll(STOP, '</mark>');
}

/**
 * One page of completed transcripts of the recordings in the caller's scope, best match first. The
 * scope is applied by `whereInScope` on the recordings side, exactly as for the recording list, and
 * the transaction's RLS agrees; deleted recordings never match. Pages are keyset pages over (rank,
 * recording id), as every other list. Snippets are built for the returned page only (ts_headline
 * re-parses the whole text, so it must not run for every match).
 */
export async function searchTranscripts(tx: ReadTx, query: TranscriptSearchQuery): Promise<TranscriptSearchHit[]> {
  const tsquery = sql`websearch_to_tsquery('simple', ${query.q})`;
  const ranked = companyWide(tx) ? companyMatches(tx, query, tsquery) : matchesInScope(tx, tsquery);
  let page = tx.selectFrom(ranked.as('hits')).selectAll('hits');
  if (query.after && query.after.value !== null) page = page.where(pastPosition(RANK_ORDER, { value: query.after.value, id: query.after.id }));
  const top = page.orderBy('hits.rank', 'desc').orderBy('hits.recording_id', 'desc').limit(query.limit);

  const rows = await tx
    .selectFrom(top.as('hits'))
    .innerJoin('transcripts', 'transcripts.id', 'hits.transcript_id')
    .select([
      'hits.company_id',
      'hits.recording_id',
      'hits.call_id',
      'hits.started_at',
      'hits.owner_user_id',
      'hits.rank',
      sortValueOf(RANK_ORDER).as('sort_value'),
      // The words as said when they matched; else the call's summary and topics, which did (a
      // second headline only for those hits, in the same statement).
      sql<string>`(SELECT CASE
          WHEN strpos(said.headline, ${START}) > 0 OR transcripts.analysis_text IS NULL THEN said.headline
          ELSE ts_headline('simple', 'Summary: ' || transcripts.analysis_text, ${tsquery}, ${HEADLINE_OPTIONS})
        END
        FROM (SELECT ts_headline('simple', coalesce(transcripts.text, ''), ${tsquery}, ${HEADLINE_OPTIONS}) AS headline) AS said)`.as('headline'),
    ])
    .orderBy('hits.rank', 'desc')
    .orderBy('hits.recording_id', 'desc')
    .execute();

  return rows.map((row) => ({
    companyId: row.company_id,
    recordingId: row.recording_id,
    callId: row.call_id,
    rank: Number(row.rank),
    snippet: markup(row.headline),
    startedAt: row.started_at,
    ownerUserId: row.owner_user_id,
    sort_value: String(row.sort_value),
  }));
}

/** A search over a whole company, in that company's transaction: the one scope the company search index answers (migration 0026). */
function companyWide(tx: ReadTx): boolean {
  const scope = tx.readScope;
  if (tx.scope.kind !== 'company') return false;
  const companyId = scope.kind === 'company' && scope.ownerUserIds === null ? scope.companyId : scope.kind === 'platform' ? scope.companyId : null;
  return companyId === tx.scope.companyId;
}

/** What both kinds of match give of a hit, besides its rank. */
const HIT_COLUMNS = [
  'recordings.company_id',
  'recordings.id as recording_id',
  'recordings.call_id',
  'recordings.started_at',
  'recordings.owner_user_id',
  'transcripts.id as transcript_id',
] as const;

/**
 * The matches of an owner-scoped search (an agent's, a manager's; a platform-wide one): the scope
 * is read from recordings_transcribed_idx (0019) and each transcript in it is tested, as row-level
 * security evaluates `@@` only after its policy.
 */
function matchesInScope(tx: ReadTx, tsquery: RawBuilder<unknown>) {
  return (
    whereInScope(tx.selectFrom('recordings'), tx.readScope)
      .innerJoin('transcripts', (join) =>
        join.onRef('transcripts.company_id', '=', 'recordings.company_id').onRef('transcripts.recording_id', '=', 'recordings.id'),
      )
      .where('recordings.status', '<>', 'deleted')
      // Implied by a completed transcript (kept in step by upsertTranscript), and stated so the
      // planner may read the scope from recordings_transcribed_idx (migration 0019).
      .where('recordings.has_transcript', '=', true)
      .where('transcripts.status', '=', 'completed')
      .where(sql<boolean>`transcripts.search @@ ${tsquery}`)
      .select([...HIT_COLUMNS, sql<number>`ts_rank(transcripts.search, ${tsquery})`.as('rank')])
  );
}

interface CompanyMatch {
  transcript_id: string;
  recording_id: string;
  rank: number;
}

/**
 * The matches of a company-wide search: one page from the company search index (0026), which
 * answers for the transaction's own company only, joined back to recordings and transcripts under
 * row-level security and the same scope and status conditions as `matchesInScope`.
 */
function companyMatches(tx: ReadTx, query: TranscriptSearchQuery, tsquery: RawBuilder<unknown>) {
  const after = query.after && query.after.value !== null ? query.after : null;
  const indexed = sql<CompanyMatch>`callvault_company_search(${tsquery}, ${after?.value ?? null}::real, ${after?.id ?? null}::uuid, ${query.limit})`;
  return whereInScope(tx.selectFrom(indexed.as('matched')).innerJoin('recordings', 'recordings.id', 'matched.recording_id'), tx.readScope)
    .innerJoin('transcripts', (join) =>
      join
        .onRef('transcripts.id', '=', 'matched.transcript_id')
        .onRef('transcripts.company_id', '=', 'recordings.company_id')
        .onRef('transcripts.recording_id', '=', 'recordings.id'),
    )
    .where('recordings.status', '<>', 'deleted')
    .where('transcripts.status', '=', 'completed')
    .select([...HIT_COLUMNS, 'matched.rank']);
}
