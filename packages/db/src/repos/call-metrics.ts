import { sql } from 'kysely';
import type { CompanyTx } from '../client';

/** One metrics row per recording: re-running analytics replaces it. */
export async function upsertCallMetrics(tx: CompanyTx, input: { recordingId: string; callId: string; metrics: Record<string, unknown> }): Promise<void> {
  const metrics = JSON.stringify(input.metrics);
  await tx
    .insertInto('call_metrics')
    .values({ company_id: tx.scope.companyId, recording_id: input.recordingId, call_id: input.callId, metrics, computed_at: new Date() })
    .onConflict((conflict) => conflict.columns(['company_id', 'recording_id']).doUpdateSet({ metrics, computed_at: sql`now()` }))
    .execute();
}
