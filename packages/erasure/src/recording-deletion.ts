import { inCompany, insertOutboxJobs, tombstoneRecordings, type CompanyTx, type Recording, type ScopedTx } from '@callvault/db';
import { recordOutboundEvent } from '@callvault/outbound-events';
import { describeJob } from '@callvault/queue';

/** The details every `recording.delete` audit event carries: what the tombstone stands for. */
export function deletionDetails(recording: Recording, reason: string): Record<string, unknown> {
  return { reason, status: recording.status, sha256: recording.sha256, sizeBytes: recording.size_bytes === null ? null : Number(recording.size_bytes) };
}

/**
 * Deletes locked recordings, inside the caller's transaction (with its audit events): the rows
 * become tombstones, transcript and analytics go, and the removal of each audio object is
 * recorded in the outbox with them. The database goes first on purpose: had storage gone first,
 * a failed commit would leave a "stored" recording without audio. Every way of deleting (a user,
 * a bulk request, a cleanup, the retention sweep) comes through here.
 */
export async function deleteRecordings(tx: ScopedTx, recordings: readonly Recording[], reason: string): Promise<void> {
  await tombstoneRecordings(tx, recordings, reason);
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
}
