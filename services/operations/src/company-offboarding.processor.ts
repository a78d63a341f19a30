import {
  countCompanyRows,
  deleteCompanyRows,
  detachCompanyProviders,
  insertPlatformAuditEvent,
  listHeldRecordingIds,
  withPlatform,
  type Db,
} from '@callvault/db';
import type { Logger } from '@callvault/logging';
import { UnrecoverableError, type JobPayload } from '@callvault/queue';
import { companyPrefix, type Storage } from '@callvault/storage';

export type OffboardingResult = { outcome: 'offboarded'; rows: Record<string, number>; objects: number } | { outcome: 'already-offboarded' };

/**
 * A company's end, in an order that survives a crash at any step (the job is retried whole):
 * 1. its provider accounts and numbers go, so nothing new is attributed to it;
 * 2. every object version under its storage prefix goes;
 * 3. every row goes, in one transaction with the platform's record of the offboarding (counts
 *    only: the company's data is what is being removed);
 * 4. the prefix is emptied once more, for an upload that was in flight during step 2.
 * Legal holds stop it before anything is touched (unrecoverable: visible in the failed set).
 */
export async function offboardCompany(
  deps: { db: Db; storage: Pick<Storage, 'deleteEverythingUnder'>; log: Logger },
  payload: JobPayload<'company-offboarding'>,
): Promise<OffboardingResult> {
  const { companyId } = payload;
  const log = deps.log.child({ companyId, task: 'company-offboarding' });
  const held = await withPlatform(deps.db, (tx) => listHeldRecordingIds(tx, companyId));
  if (held.length > 0) throw new UnrecoverableError(`${held.length} recording(s) of the company are under legal hold`);
  // Counted before anything goes: the record says what the company held when it was offboarded.
  const counts = await withPlatform(deps.db, (tx) => countCompanyRows(tx, companyId));
  const detached = await withPlatform(deps.db, (tx) => detachCompanyProviders(tx, companyId));
  const prefix = companyPrefix(companyId);
  let objects = await deps.storage.deleteEverythingUnder(prefix);
  const rows = await withPlatform(deps.db, async (tx) => {
    if (!(await deleteCompanyRows(tx, companyId))) return undefined;
    await insertPlatformAuditEvent(tx, {
      actorSubject: 'system:company-offboarding',
      actorRole: 'system',
      action: 'company.offboard.completed',
      targetType: 'company',
      targetId: companyId,
      details: { rows: counts, objects, detached },
      ip: null,
      userAgent: null,
    });
    return counts;
  });
  objects += await deps.storage.deleteEverythingUnder(prefix);
  if (!rows) return { outcome: 'already-offboarded' };
  log.info({ objects, detached }, 'company offboarded');
  return { outcome: 'offboarded', rows, objects };
}
