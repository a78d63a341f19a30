import { sql } from 'kysely';
import type { CompanyTx } from '../client';
import type { TranscriptStatus } from '../schema';

export interface TranscriptInput {
  recordingId: string;
  status: TranscriptStatus;
  source: string | null;
  language: string | null;
  text: string | null;
  segments: Array<{ speaker: string; startSeconds: number; endSeconds: number; text: string }> | null;
  redactionCount: number;
}

/** One transcript per recording: a re-run replaces the previous result. */
export async function upsertTranscript(tx: CompanyTx, input: TranscriptInput): Promise<void> {
  const values = {
    status: input.status,
    source: input.source,
    language: input.language,
    text: input.text,
    segments: input.segments === null ? null : JSON.stringify(input.segments),
    redaction_count: input.redactionCount,
  };
  await tx
    .insertInto('transcripts')
    .values({ company_id: tx.scope.companyId, recording_id: input.recordingId, ...values })
    .onConflict((conflict) => conflict.columns(['company_id', 'recording_id']).doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
  await tx
    .updateTable('recordings')
    .set({ has_transcript: input.status === 'completed' })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', input.recordingId)
    .execute();
}

export async function getTranscriptForRecording(tx: CompanyTx, recordingId: string) {
  return tx
    .selectFrom('transcripts')
    .select(['status', 'source', 'language', 'text', 'segments', 'redaction_count'])
    .where('company_id', '=', tx.scope.companyId)
    .where('recording_id', '=', recordingId)
    .executeTakeFirst();
}
