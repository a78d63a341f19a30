import { clearRemovedObject, getRecordingForCompany, withCompany, type Db } from '@callvault/db';
import type { JobPayload } from '@callvault/queue';
import { companyPrefix, type Storage } from '@callvault/storage';
import { removeProviderCopy, type ProviderCopyDeps } from './provider-copy-removal';

export type ObjectRemovalResult = { outcome: 'removed'; providerCopy: 'deleted' | 'not-asked' } | { outcome: 'skipped'; reason: string };

/**
 * Removes a deleted recording's audio from storage (every version of it), then drops the key from its tombstone. A
 * storage failure throws: the job retries, and the tombstone keeps its key (visible, never
 * served) until the object is gone. A recording that is not a tombstone with a key is left alone.
 */
export async function removeRecordingObject(
  deps: { db: Db; storage: Pick<Storage, 'eraseObject'>; providerCopy?: ProviderCopyDeps },
  payload: JobPayload<'object-removal'>,
): Promise<ObjectRemovalResult> {
  const { companyId, recordingId } = payload;
  const recording = await withCompany(deps.db, companyId, (tx) => getRecordingForCompany(tx, recordingId));
  if (recording?.status !== 'deleted' || !recording.storage_key) return { outcome: 'skipped', reason: 'no object waits for removal' };
  // The key sits under the company's prefix by construction and by a database check; asserted again before deleting.
  if (!recording.storage_key.startsWith(companyPrefix(companyId))) throw new Error('object key outside the company prefix');
  await deps.storage.eraseObject(recording.storage_key);
  // Before the key is cleared: a failure here retries the job, and the tombstone's key keeps it visible.
  const providerCopy = deps.providerCopy ? await removeProviderCopy({ ...deps.providerCopy, db: deps.db }, recording) : 'not-asked';
  const storageKey = recording.storage_key;
  await withCompany(deps.db, companyId, (tx) => clearRemovedObject(tx, { recordingId, companyId, storageKey }));
  return { outcome: 'removed', providerCopy };
}
