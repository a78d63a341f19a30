import { sql } from 'kysely';
import type { ReadTx } from '../../read-scope';
import type { StatsRequest } from '../rollups';
import { whereInScope } from '../recording-queries';

export interface ScorecardCounts {
  ownerUserId: string | null;
  questionId: string;
  yes: number;
  no: number;
  notApplicable: number;
}

/**
 * Scorecard answers of the analyses in scope, counted per recording owner (the agent) and question
 * id, for recordings started within [from, to] (UTC days, as the daily stats count them). Only the
 * last validated result of each recording counts; a failed re-run leaves it counted.
 */
export async function readScorecardCounts(tx: ReadTx, request: StatsRequest): Promise<ScorecardCounts[]> {
  const scope = tx.readScope;
  const count = (answer: string) => sql<number>`(count(*) FILTER (WHERE answer->>'answer' = ${answer}))::int`;
  let analysed = whereInScope(tx.selectFrom('recordings'), scope)
    .innerJoin('call_analyses', (join) =>
      join.onRef('call_analyses.company_id', '=', 'recordings.company_id').onRef('call_analyses.recording_id', '=', 'recordings.id'),
    )
    .where('recordings.status', '<>', 'deleted');
  const day = sql`(coalesce(recordings.started_at, recordings.created_at) AT TIME ZONE 'UTC')::date`;
  if (request.from) analysed = analysed.where(sql<boolean>`${day} >= ${request.from}::date`);
  if (request.to) analysed = analysed.where(sql<boolean>`${day} <= ${request.to}::date`);
  // One row per answer: the set-returning function unnests each analysis' scorecard.
  const answers = analysed.select([
    'recordings.owner_user_id as owner_user_id',
    sql<unknown>`jsonb_array_elements(coalesce(call_analyses.result->'scorecard', '[]'))`.as('answer'),
  ]);
  return tx
    .selectFrom(answers.as('answers'))
    .select([
      'owner_user_id as ownerUserId',
      sql<string>`answer->>'questionId'`.as('questionId'),
      count('yes').as('yes'),
      count('no').as('no'),
      count('not_applicable').as('notApplicable'),
    ])
    .groupBy(['owner_user_id', sql`answer->>'questionId'`])
    .orderBy(sql`answer->>'questionId'`)
    .orderBy('owner_user_id')
    .execute();
}

export interface ModelUsageTotals {
  companyId: string;
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * Requests and tokens per company and model over [from, to] (the days the transcriber counted
 * them on): the scope's company, or every company for a platform scope naming none. Spending is
 * the company's, not an owner's: an owner-narrowed scope has no model usage to read.
 */
export async function readModelUsageTotals(tx: ReadTx, request: StatsRequest): Promise<ModelUsageTotals[]> {
  const scope = tx.readScope;
  if (scope.kind === 'company' && scope.ownerUserIds !== null) return [];
  let query = tx.selectFrom('model_usage');
  if (scope.companyId) query = query.where('company_id', '=', scope.companyId);
  if (request.from) query = query.where(sql<boolean>`day >= ${request.from}::date`);
  if (request.to) query = query.where(sql<boolean>`day <= ${request.to}::date`);
  const rows = await query
    .select([
      'company_id as companyId',
      'model',
      sql<string>`sum(requests)::text`.as('requests'),
      sql<string>`sum(prompt_tokens)::text`.as('promptTokens'),
      sql<string>`sum(completion_tokens)::text`.as('completionTokens'),
    ])
    .groupBy(['company_id', 'model'])
    .orderBy('company_id')
    .orderBy('model')
    .execute();
  return rows.map((row) => ({
    ...row,
    requests: Number(row.requests),
    promptTokens: Number(row.promptTokens),
    completionTokens: Number(row.completionTokens),
  }));
}
