import {
  eraseCallContent,
  inCompany,
  insertOutboxJobs,
  listCallsUnderHold,
  lockCallPayloads,
  storeRedactedPayload,
  tombstoneRecordings,
  type CompanyTx,
  type InScope,
  type Recording,
  type ScopedTx,
} from '@callvault/db';
import { redactProviderPayload } from '@callvault/events';
import { recordOutboundEvent } from '@callvault/outbound-events';
import { describeJob } from '@callvault/queue';
import { assertNoLegalHold } from './legal-hold';

/** The details every `recording.delete` audit event carries: what the tombstone stands for. */
export function deletionDetails(recording: Recording, reason: string): Record<string, unknown> {
  return { reason, status: recording.status, sha256: recording.sha256, sizeBytes: recording.size_bytes === null ? null : Number(recording.size_bytes) };
}

/**
 * Erases locked recordings, inside the caller's transaction (with its audit events): the rows
 * become tombstones; transcript, search rows, metrics, the provider's transcript and the call's
 * summary and analysis go; the content of every stored provider payload of the call is redacted
 * in place (ids, idempotency keys and times stay, so deduplication and the audit trail still
 * work); the removal of each audio object (every version) is recorded in the outbox with them.
 * The database goes first on purpose: had storage gone first, a failed commit would leave a
 * "stored" recording without audio. Every way of deleting (a user, a bulk request, a cleanup, the
 * retention sweep, a data-subject erasure, an offboarding) comes through here. A recording under
 * legal hold refuses the whole call with `RecordingsUnderLegalHoldError`; a held recording of the
 * same call keeps the call's summary and payloads (they are its evidence too). Answers how many
 * stored payloads it redacted, for the callers that report it.
 */
export async function deleteRecordings(tx: ScopedTx, recordings: readonly InScope<Recording>[], reason: string): Promise<{ redactedPayloads: number }> {
  assertNoLegalHold(recordings);
  await tombstoneRecordings(tx, recordings, reason);
  const heldCalls = await listCallsUnderHold(tx, recordings);
  await eraseCallContent(tx, recordings, heldCalls);
  const redactedAt = new Date();
  const payloads = await lockCallPayloads(
    tx,
    recordings.filter((recording) => !heldCalls.has(recording.call_id)),
  );
  for (const stored of payloads) {
    await storeRedactedPayload(tx, stored.id, redactProviderPayload(stored.provider, stored.payload), redactedAt);
  }
  await insertOutboxJobs(
    tx,
    recordings
      .filter((recording) => recording.storage_key !== null)
      .map((recording) => describeJob('object-removal', { companyId: recording.company_id, recordingId: recording.id })),
  );
  for (const companyId of new Set(recordings.map((recording) => recording.company_id))) {
    const tell = async (companyTx: CompanyTx) => {
      for (const recording of recordings.filter((entry) => entry.company_id === companyId)) {
        await recordOutboundEvent(companyTx, 'recording.deleted', { recordingId: recording.id, callId: recording.call_id, reason });
      }
    };
    await (tx.scope.kind === 'company' ? tell(tx as CompanyTx) : inCompany(tx as Parameters<typeof inCompany>[0], companyId, tell));
  }
  return { redactedPayloads: payloads.length };
}
