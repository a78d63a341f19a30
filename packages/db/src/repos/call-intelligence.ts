import type { SecretBox } from '@callvault/crypto';
import { sql } from 'kysely';
import type { CompanyTx } from '../client';
import type { ScopedTx } from '../read-scope';
import type { SpeechToTextChoice } from '../schema';
import { assertOwnCompany } from '../own-company';

export interface ScorecardQuestion {
  id: string;
  text: string;
}

export interface IntelligenceSettingsFields {
  enabled: boolean;
  scorecardQuestions: ScorecardQuestion[];
  modelBaseUrl: string | null;
  modelName: string | null;
  /** Sealed with SECRETS_KEY; undefined keeps the stored key, null removes it. */
  modelKeySealed?: string | null | undefined;
}

/** Bound to the company, so a sealed key copied into another company's row does not open. */
const modelKeyAssociatedData = (companyId: string) => `intelligence_settings.model_key:${companyId}`;

export function sealModelKey(box: SecretBox, companyId: string, key: string): string {
  return box.seal(key, modelKeyAssociatedData(companyId));
}

export function openModelKey(box: SecretBox, companyId: string, sealed: string): string {
  return box.open(sealed, modelKeyAssociatedData(companyId));
}

/** The company's settings, or undefined when it never opted in (analysis then stays off). */
export async function getIntelligenceSettings(tx: CompanyTx) {
  return tx
    .selectFrom('intelligence_settings')
    .select(['enabled', 'scorecard_questions', 'model_base_url', 'model_name', 'model_key_sealed', 'updated_at'])
    .where('company_id', '=', tx.scope.companyId)
    .executeTakeFirst();
}

export async function upsertIntelligenceSettings(tx: CompanyTx, fields: IntelligenceSettingsFields): Promise<void> {
  const values = {
    enabled: fields.enabled,
    scorecard_questions: JSON.stringify(fields.scorecardQuestions),
    model_base_url: fields.modelBaseUrl,
    model_name: fields.modelName,
    ...(fields.modelKeySealed !== undefined ? { model_key_sealed: fields.modelKeySealed } : {}),
  };
  await tx
    .insertInto('intelligence_settings')
    .values({ company_id: tx.scope.companyId, ...values })
    .onConflict((conflict) => conflict.column('company_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
}

/** The company's speech-to-text choice; Deepgram when it never chose (what every company had before). */
export async function getSpeechToTextChoice(tx: CompanyTx): Promise<{ speechToText: SpeechToTextChoice; updatedAt: Date | null }> {
  const row = await tx
    .selectFrom('intelligence_settings')
    .select(['speech_to_text', 'updated_at'])
    .where('company_id', '=', tx.scope.companyId)
    .executeTakeFirst();
  return { speechToText: row?.speech_to_text ?? 'deepgram', updatedAt: row?.updated_at ?? null };
}

/** Only the choice: the rest of the settings (analysis opt-in, scorecard) keep what they were. */
export async function setSpeechToTextChoice(tx: CompanyTx, speechToText: SpeechToTextChoice): Promise<void> {
  await tx
    .insertInto('intelligence_settings')
    .values({ company_id: tx.scope.companyId, speech_to_text: speechToText })
    .onConflict((conflict) => conflict.column('company_id').doUpdateSet({ speech_to_text: speechToText, updated_at: sql`now()` }))
    .execute();
}

export async function getCallAnalysis(tx: ScopedTx, companyId: string, recordingId: string) {
  assertOwnCompany(tx, [companyId], 'getCallAnalysis');
  return tx
    .selectFrom('call_analyses')
    .select(['status', 'result', 'model', 'completed_at', 'error', 'failed_at'])
    .where('company_id', '=', companyId)
    .where('recording_id', '=', recordingId)
    .executeTakeFirst();
}

/** A validated result replaces the previous one. */
export async function storeCallAnalysis(
  tx: CompanyTx,
  input: { recordingId: string; callId: string; model: string; result: Record<string, unknown> },
): Promise<void> {
  const values = {
    status: 'completed' as const,
    result: JSON.stringify(input.result),
    model: input.model,
    completed_at: new Date(),
    error: null,
    failed_at: null,
  };
  await tx
    .insertInto('call_analyses')
    .values({ company_id: tx.scope.companyId, recording_id: input.recordingId, call_id: input.callId, ...values })
    .onConflict((conflict) => conflict.columns(['company_id', 'recording_id']).doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
  // Searchable with the transcript (migration 0022): a search for what the call was about finds it.
  await tx
    .updateTable('transcripts')
    .set({ analysis_text: searchableAnalysisText(input.result) })
    .where('company_id', '=', tx.scope.companyId)
    .where('recording_id', '=', input.recordingId)
    .execute();
}

/** The summary and topics of an analysis result, as one text for the search vector. */
function searchableAnalysisText(result: Record<string, unknown>): string | null {
  const summary = typeof result.summary === 'string' ? result.summary : '';
  const topics = Array.isArray(result.topics) ? result.topics.filter((topic): topic is string => typeof topic === 'string') : [];
  const text = [summary, ...topics].join('\n').trim().slice(0, 20_000);
  return text.length > 0 ? text : null;
}

/** A failure is recorded beside the previous result, which stays: it is still the best we know. */
export async function recordCallAnalysisFailure(tx: CompanyTx, input: { recordingId: string; callId: string; error: string }): Promise<void> {
  const values = { status: 'failed' as const, error: input.error.slice(0, 1000), failed_at: new Date() };
  await tx
    .insertInto('call_analyses')
    .values({ company_id: tx.scope.companyId, recording_id: input.recordingId, call_id: input.callId, ...values })
    .onConflict((conflict) => conflict.columns(['company_id', 'recording_id']).doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
}

/** Adds one model request's tokens to the company's count for the model and day. */
export async function addModelUsage(tx: CompanyTx, input: { model: string; promptTokens: number; completionTokens: number }): Promise<void> {
  await tx
    .insertInto('model_usage')
    .values({
      company_id: tx.scope.companyId,
      model: input.model,
      day: sql<string>`current_date`,
      requests: 1,
      prompt_tokens: input.promptTokens,
      completion_tokens: input.completionTokens,
    })
    .onConflict((conflict) =>
      conflict.columns(['company_id', 'model', 'day']).doUpdateSet({
        requests: sql`model_usage.requests + 1`,
        prompt_tokens: sql`model_usage.prompt_tokens + ${input.promptTokens}`,
        completion_tokens: sql`model_usage.completion_tokens + ${input.completionTokens}`,
      }),
    )
    .execute();
}

export async function listModelUsage(tx: CompanyTx) {
  return tx
    .selectFrom('model_usage')
    .select(['model', 'day', 'requests', 'prompt_tokens', 'completion_tokens'])
    .where('company_id', '=', tx.scope.companyId)
    .orderBy('day', 'desc')
    .orderBy('model')
    .execute();
}
