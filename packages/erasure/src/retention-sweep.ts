import { insertAuditEvent, insertOutboxJobs, listCompanyRetentions, listPendingObjectRemovals, withPlatform, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import { describeJob } from '@callvault/queue';
import { cleanupCompany } from './company-cleanup';
import { deletionDetails } from './recording-deletion';

export interface RetentionSweepResult {
  companies: number;
  deleted: number;
  skippedLegalHold: number;
  /** Tombstones still holding an object (their removal job was lost or gave up), queued again. */
  objectsRequeued: number;
  failedCompanies: string[];
}

/** Tombstones younger than this are left alone: their own removal job may still be running. */
const REQUEUE_AFTER_MS = 5 * 60_000;

/**
 * Applies every company's `retention_days`: deletes its recordings that started (or, without a
 * start, were created) longer ago, legal holds excepted, with the same rules and audit events as
 * a deletion by a user, the actor being `system`. First queues again the object removals of
 * earlier deletions that never finished. One company's failure is logged and does not stop the
 * others. Idempotent; runs as a scheduled task of the operations worker.
 */
export async function runRetentionSweep(deps: { db: Db; log: Logger; committed?: () => void }, now: Date = new Date()): Promise<RetentionSweepResult> {
  const log = deps.log.child({ task: 'retention-sweep' });
  const objectsRequeued = await withPlatform(deps.db, async (tx) => {
    const pending = await listPendingObjectRemovals(tx, { deletedBefore: new Date(now.getTime() - REQUEUE_AFTER_MS), limit: 1000 });
    await insertOutboxJobs(
      tx,
      pending.map((removal) => describeJob('object-removal', { companyId: removal.companyId, recordingId: removal.recordingId })),
    );
    return pending.length;
  });
  if (objectsRequeued > 0) deps.committed?.();

  const result: RetentionSweepResult = { companies: 0, deleted: 0, skippedLegalHold: 0, objectsRequeued, failedCompanies: [] };
  const retentions = await withPlatform(deps.db, (tx) => listCompanyRetentions(tx));
  for (const { companyId, retentionDays } of retentions) {
    try {
      const outcome = await cleanupCompany(deps, companyId, new Date(now.getTime() - retentionDays * 86_400_000), {
        dryRun: false,
        reason: `retention policy of ${retentionDays} days`,
        auditDeletion: (tx, recording) =>
          insertAuditEvent(tx, {
            companyId,
            actorUserId: null,
            actorSubject: 'system:retention-sweep',
            actorRole: 'system',
            action: 'recording.delete',
            targetType: 'recording',
            targetId: recording.id,
            details: { ...deletionDetails(recording, 'retention'), retentionDays },
            ip: null,
            userAgent: null,
          }),
      });
      result.companies += 1;
      result.deleted += outcome.deleted;
      result.skippedLegalHold += outcome.skippedLegalHold;
      if (outcome.deleted > 0) log.info({ companyId, deleted: outcome.deleted, skippedLegalHold: outcome.skippedLegalHold }, 'retention applied');
    } catch (error) {
      result.failedCompanies.push(companyId);
      log.error({ err: error, companyId }, 'retention sweep failed for a company');
    }
  }
  return result;
}
