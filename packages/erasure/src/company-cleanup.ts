import { countExpiredRecordings, lockExpiredRecordings, withCompany, type CompanyTx, type Db, type Recording } from '@callvault/db';
import { deleteRecordings } from './recording-deletion';

export interface CleanupResult {
  matched: number;
  deleted: number;
  skippedLegalHold: number;
}

const BATCH = 200;

/**
 * Deletes a company's recordings that started (or, without a start, were created) before
 * `olderThan`, legal holds excepted, in batches of one transaction each with an audit event per
 * recording. Used by POST /v1/recordings/cleanup and by the retention sweep. `committed` is called
 * after each batch (its object removals are in the outbox).
 */
export async function cleanupCompany(
  deps: { db: Db; committed?: () => void },
  companyId: string,
  olderThan: Date,
  options: { dryRun: boolean; reason: string; auditDeletion: (tx: CompanyTx, recording: Recording) => Promise<void> },
): Promise<CleanupResult> {
  const counts = await withCompany(deps.db, companyId, (tx) => countExpiredRecordings(tx, olderThan));
  if (options.dryRun) return { matched: counts.matched, deleted: 0, skippedLegalHold: counts.legalHold };
  let deleted = 0;
  for (;;) {
    const batch = await withCompany(deps.db, companyId, async (tx) => {
      const locked = await lockExpiredRecordings(tx, olderThan, BATCH);
      await deleteRecordings(tx, locked, options.reason);
      for (const recording of locked) await options.auditDeletion(tx, recording);
      return locked.length;
    });
    if (batch === 0) break;
    deleted += batch;
    deps.committed?.();
    if (batch < BATCH) break;
  }
  return { matched: counts.matched, deleted, skippedLegalHold: counts.legalHold };
}
