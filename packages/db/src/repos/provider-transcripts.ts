import type { CompanyTx } from '../client';
import type { Provider } from '../schema';

export interface ProviderTranscriptFacts {
  provider: Provider;
  providerRecordingId: string;
  language: string | null;
  text: string;
  segments: Array<{ speaker: string; startSeconds: number; endSeconds: number; text: string }>;
}

/** The provider's transcript of a recording; a later one (a re-delivered report) replaces it. */
export async function upsertProviderTranscript(tx: CompanyTx, facts: ProviderTranscriptFacts): Promise<void> {
  await tx
    .insertInto('provider_transcripts')
    .values({
      company_id: tx.scope.companyId,
      provider: facts.provider,
      provider_recording_id: facts.providerRecordingId,
      language: facts.language,
      text: facts.text,
      segments: JSON.stringify(facts.segments),
    })
    .onConflict((conflict) =>
      conflict.columns(['company_id', 'provider', 'provider_recording_id']).doUpdateSet((eb) => ({
        language: eb.ref('excluded.language'),
        text: eb.ref('excluded.text'),
        segments: eb.ref('excluded.segments'),
        received_at: new Date(),
      })),
    )
    .execute();
}

export async function getProviderTranscript(tx: CompanyTx, provider: Provider, providerRecordingId: string) {
  return tx
    .selectFrom('provider_transcripts')
    .selectAll()
    .where('company_id', '=', tx.scope.companyId)
    .where('provider', '=', provider)
    .where('provider_recording_id', '=', providerRecordingId)
    .executeTakeFirst();
}
