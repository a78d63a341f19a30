import { createHash } from 'node:crypto';
import type { Provider } from '@callvault/db';
import type { Candidates, IntakeOutcome } from '@callvault/events';
import { replaceNul } from '@callvault/service-kit';
import type { IngestDeps } from './ingest-deps';

export const NUL_REASON = 'a field contains a NUL character, which cannot be stored';

/**
 * An authentic event carrying a NUL character: it cannot be stored as sent (Postgres text refuses
 * NUL), and a 503 would make the provider retry it forever. It is stored as rejected, with every
 * NUL replaced, keyed by its raw bytes (a retry is a duplicate), and answered 400.
 */
export async function storeNulRejection(
  deps: IngestDeps,
  input: {
    provider: Provider;
    eventType: string;
    externalAccountId: string;
    payload: Record<string, unknown>;
    rawBody: string | Buffer;
    requestPath: string;
    candidates: Candidates;
  },
): Promise<{ outcome: IntakeOutcome; eventId?: string; rejectReason: string }> {
  const stored = await deps.intake.store({
    provider: input.provider,
    eventType: input.eventType.replaceAll('\u0000', ''),
    idempotencyKey: `${input.provider}:rejected:${createHash('sha256').update(input.rawBody).digest('hex')}`,
    externalAccountId: input.externalAccountId,
    callRef: null,
    payload: replaceNul(input.payload),
    requestPath: input.requestPath,
    authenticatedCompanyIds: input.candidates.companyIds,
    rejectReason: NUL_REASON,
  });
  return {
    outcome: stored.outcome === 'duplicate' ? 'duplicate' : 'rejected',
    rejectReason: NUL_REASON,
    ...(stored.eventId ? { eventId: stored.eventId } : {}),
  };
}
