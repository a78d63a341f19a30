import { insertAuditEvent, listCompanyRetentions, listPendingObjectRemovals, withPlatform } from '@callvault/db';
import { cleanupCompany, deletionDetails, removeObjects, type DeletionDeps } from './routes/recordings/deletion';

export interface RetentionSweepResult {
  companies: number;
  deleted: number;
  skippedLegalHold: number;
  /** Objects of earlier deletions whose removal from storage had failed, retried now. */
  objectsRetried: number;
  objectRetriesFailed: number;
  failedCompanies: string[];
}

/** Tombstones younger than this are left alone: their own request may still be removing the object. */
const RETRY_AFTER_MS = 5 * 60_000;

/**
 * Applies every company's `retention_days`: deletes its recordings that started (or, without a
 * start, were created) longer ago, legal holds excepted, with the same rules and audit events as
 * a deletion by a user, the actor being `system`. First retries the object removals of earlier
 * deletions that failed. One company's failure is logged and does not stop the others.
 * Idempotent: run it on a timer (hourly) in one gateway process or several.
 */
export async function runRetentionSweep(deps: DeletionDeps, now: Date = new Date()): Promise<RetentionSweepResult> {
  const log = deps.log.child({ task: 'retention-sweep' });
  const pending = await withPlatform(deps.db, (tx) => listPendingObjectRemovals(tx, { deletedBefore: new Date(now.getTime() - RETRY_AFTER_MS), limit: 1000 }));
  const retried = await removeObjects(deps, pending);

  const result: RetentionSweepResult = { companies: 0, deleted: 0, skippedLegalHold: 0, objectsRetried: retried.removed, objectRetriesFailed: retried.failed, failedCompanies: [] };
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

/**
 * Runs the sweep now and then every `intervalMs`, never two at once in this process (several
 * processes may sweep together: rows are locked with SKIP LOCKED and every step is idempotent).
 * Returns the stop function for the shutdown sequence.
 */
export function scheduleRetentionSweep(deps: DeletionDeps, intervalMs: number): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = runRetentionSweep(deps)
      .then((result) => deps.log.info({ task: 'retention-sweep', ...result }, 'retention sweep finished'))
      .catch((error: unknown) => deps.log.error({ err: error, task: 'retention-sweep' }, 'retention sweep failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
