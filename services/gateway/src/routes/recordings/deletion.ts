import {
  clearRemovedObject,
  countExpiredRecordings,
  lockExpiredRecordings,
  tombstoneRecordings,
  withCompany,
  type CompanyTx,
  type PendingObjectRemoval,
  type Recording,
  type ScopedTx,
} from '@callvault/db';
import type { GatewayDeps } from '../../gateway-deps';

export type DeletionDeps = Pick<GatewayDeps, 'db' | 'storage' | 'log'>;

/** The details every `recording.delete` audit event carries: what the tombstone stands for. */
export function deletionDetails(recording: Recording, reason: string): Record<string, unknown> {
  return { reason, status: recording.status, sha256: recording.sha256, sizeBytes: recording.size_bytes === null ? null : Number(recording.size_bytes) };
}

/**
 * Step one of a deletion, inside the caller's transaction (with its audit events): the rows
 * become tombstones and transcript and analytics go. Returns the objects to remove once the
 * transaction has committed.
 */
export async function tombstone(tx: ScopedTx, recordings: readonly Recording[], reason: string): Promise<PendingObjectRemoval[]> {
  await tombstoneRecordings(tx, recordings, reason);
  return recordings.flatMap((recording) => (recording.storage_key ? [{ recordingId: recording.id, companyId: recording.company_id, storageKey: recording.storage_key }] : []));
}

/**
 * Step two, after the commit: remove each object, then drop its key from the tombstone. The
 * database goes first on purpose. Had storage gone first, a failed commit would leave a
 * "stored" recording without audio; this way a failed or interrupted removal leaves a tombstone
 * that still has its key, invisible to every API, logged, and retried by the retention sweep.
 */
export async function removeObjects(deps: DeletionDeps, removals: readonly PendingObjectRemoval[]): Promise<{ removed: number; failed: number }> {
  let removed = 0;
  let failed = 0;
  const queue = [...removals];
  const worker = async () => {
    for (let removal = queue.shift(); removal; removal = queue.shift()) {
      try {
        await deps.storage.deleteObject(removal.storageKey);
        await withCompany(deps.db, removal.companyId, (tx) => clearRemovedObject(tx, removal!));
        removed += 1;
      } catch (error) {
        failed += 1;
        deps.log.warn({ err: error, recordingId: removal.recordingId, companyId: removal.companyId }, 'recording object removal failed; the retention sweep retries it');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
  return { removed, failed };
}

export interface CleanupResult {
  matched: number;
  deleted: number;
  skippedLegalHold: number;
}

const BATCH = 200;

/**
 * Deletes a company's recordings that started (or, without a start, were created) before
 * `olderThan`, legal holds excepted, in batches of one transaction each with an audit event per
 * recording. Used by POST /v1/recordings/cleanup and by the retention sweep.
 */
export async function cleanupCompany(
  deps: DeletionDeps,
  companyId: string,
  olderThan: Date,
  options: { dryRun: boolean; reason: string; auditDeletion: (tx: CompanyTx, recording: Recording) => Promise<void> },
): Promise<CleanupResult> {
  const counts = await withCompany(deps.db, companyId, (tx) => countExpiredRecordings(tx, olderThan));
  if (options.dryRun) return { matched: counts.matched, deleted: 0, skippedLegalHold: counts.legalHold };
  let deleted = 0;
  for (;;) {
    const { batch, removals } = await withCompany(deps.db, companyId, async (tx) => {
      const locked = await lockExpiredRecordings(tx, olderThan, BATCH);
      const pending = await tombstone(tx, locked, options.reason);
      for (const recording of locked) await options.auditDeletion(tx, recording);
      return { batch: locked, removals: pending };
    });
    if (batch.length === 0) break;
    deleted += batch.length;
    await removeObjects(deps, removals);
    if (batch.length < BATCH) break;
  }
  return { matched: counts.matched, deleted, skippedLegalHold: counts.legalHold };
}
