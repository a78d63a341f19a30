import { sql } from 'kysely';
import type { ReadTx, ScopedTx } from '../../read-scope';
import type { CallAnalysisStatus } from '../../schema';
import { whereInScope } from '../recording-queries';
import { assertOwnCompany } from '../../own-company';

/** What a list shows of an analysis: no evidence quotes, no action items; the detail has those. */
export interface CallAnalysisSummary {
  callId: string;
  recordingId: string;
  companyId: string;
  status: CallAnalysisStatus;
  model: string | null;
  completedAt: Date | null;
  failedAt: Date | null;
  summary: string | null;
  topics: string[];
  scorecard: Array<{ questionId: string; answer: 'yes' | 'no' | 'not_applicable' }>;
}

/**
 * For a page of calls, the newest analysis of each call among the recordings the scope may see
 * (the recording scope applies on its own, as on the call detail): one statement per page, the
 * result trimmed in SQL so a page does not carry every quote of every call.
 */
export async function listCallAnalysisSummaries(tx: ReadTx, callIds: readonly string[]): Promise<Map<string, CallAnalysisSummary>> {
  const scope = tx.readScope;
  if (callIds.length === 0) return new Map();
  const rows = await whereInScope(tx.selectFrom('recordings'), scope)
    .innerJoin('call_analyses', (join) =>
      join.onRef('call_analyses.company_id', '=', 'recordings.company_id').onRef('call_analyses.recording_id', '=', 'recordings.id'),
    )
    .distinctOn('recordings.call_id')
    .select([
      'recordings.call_id as callId',
      'recordings.id as recordingId',
      'recordings.company_id as companyId',
      'call_analyses.status as status',
      'call_analyses.model as model',
      'call_analyses.completed_at as completedAt',
      'call_analyses.failed_at as failedAt',
      sql<string | null>`call_analyses.result->>'summary'`.as('summary'),
      sql<string[] | null>`call_analyses.result->'topics'`.as('topics'),
      sql<CallAnalysisSummary['scorecard'] | null>`(
        SELECT jsonb_agg(jsonb_build_object('questionId', answer->>'questionId', 'answer', answer->>'answer') ORDER BY ordinality)
        FROM jsonb_array_elements(call_analyses.result->'scorecard') WITH ORDINALITY AS answers(answer, ordinality)
      )`.as('scorecard'),
    ])
    .where('recordings.call_id', 'in', callIds)
    .where('recordings.status', '<>', 'deleted')
    .orderBy('recordings.call_id')
    .orderBy(sql`greatest(call_analyses.completed_at, call_analyses.failed_at)`, 'desc')
    .orderBy('recordings.id')
    .execute();
  return new Map(rows.map((row) => [row.callId, { ...row, topics: row.topics ?? [], scorecard: row.scorecard ?? [] }]));
}

export interface RecordingAnalysis {
  status: CallAnalysisStatus;
  result: Record<string, unknown> | null;
  model: string | null;
  completed_at: Date | null;
  error: string | null;
  failed_at: Date | null;
}

/** The full analyses of some recordings of one company, by recording id (a call detail's recordings). */
export async function listRecordingAnalyses(tx: ScopedTx, companyId: string, recordingIds: readonly string[]): Promise<Map<string, RecordingAnalysis>> {
  assertOwnCompany(tx, [companyId], 'listRecordingAnalyses');
  if (recordingIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('call_analyses')
    .select(['recording_id', 'status', 'result', 'model', 'completed_at', 'error', 'failed_at'])
    .where('company_id', '=', companyId)
    .where('recording_id', 'in', recordingIds)
    .execute();
  return new Map(rows.map(({ recording_id, ...analysis }) => [recording_id, analysis]));
}
