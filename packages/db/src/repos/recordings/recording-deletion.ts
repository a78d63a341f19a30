import { sql } from 'kysely';
import type { CompanyTx, PlatformTx } from '../../client';
import type { ScopedTx } from '../../read-scope';
import type { Recording } from '../../schema';
import { inScope, type InScope } from '../../in-scope';
import { assertOwnCompany } from '../../own-company';

/** An audio object whose recording is deleted in the database but which is still in storage. */
export interface PendingObjectRemoval {
  recordingId: string;
  companyId: string;
  storageKey: string;
}

/**
 * Turns locked recordings into tombstones: transcript, analytics and analysis rows go, the row stays with
 * status `deleted`, `deleted_at`, its sha256 and size. `storage_key` is kept until the object is
 * gone from storage (see `clearRemovedObject`): a tombstone with a key is the visible marker of
 * an object removal still to do, which the retention sweep retries.
 */
export async function tombstoneRecordings(
  tx: ScopedTx,
  recordings: ReadonlyArray<InScope<Pick<Recording, 'id' | 'company_id'>>>,
  reason: string,
): Promise<void> {
  assertOwnCompany(tx, recordings, 'tombstoneRecordings');
  if (recordings.length === 0) return;
  const pairs = recordings.map((recording) => sql`(${recording.company_id}::uuid, ${recording.id}::uuid)`);
  const matches = (companyColumn: string, idColumn: string) => sql<boolean>`(${sql.ref(companyColumn)}, ${sql.ref(idColumn)}) IN (${sql.join(pairs)})`;
  await tx.deleteFrom('transcripts').where(matches('company_id', 'recording_id')).execute();
  await tx.deleteFrom('call_metrics').where(matches('company_id', 'recording_id')).execute();
  await tx.deleteFrom('call_analyses').where(matches('company_id', 'recording_id')).execute();
  const now = new Date();
  await tx
    .updateTable('recordings')
    // The provider's media URLs go too: the fallback is a signed URL to the audio itself.
    .set({
      status: 'deleted',
      status_reason: reason.slice(0, 500),
      deleted_at: now,
      has_transcript: false,
      media_url: null,
      media_fallback_url: null,
      media_fallback_expires_at: null,
      updated_at: now,
    })
    .where(matches('company_id', 'id'))
    .execute();
}

/** The object is gone from storage: the tombstone drops its key. */
export async function clearRemovedObject(tx: ScopedTx, removal: PendingObjectRemoval): Promise<void> {
  assertOwnCompany(tx, [removal.companyId], 'clearRemovedObject');
  await tx
    .updateTable('recordings')
    .set({ storage_key: null, updated_at: new Date() })
    .where('company_id', '=', removal.companyId)
    .where('id', '=', removal.recordingId)
    .where('status', '=', 'deleted')
    .where('storage_key', '=', removal.storageKey)
    .execute();
}

/** Tombstones whose object removal failed or was interrupted, oldest first, across companies. */
export async function listPendingObjectRemovals(tx: PlatformTx, options: { deletedBefore: Date; limit: number }): Promise<PendingObjectRemoval[]> {
  const rows = await tx
    .selectFrom('recordings')
    .select(['id', 'company_id', 'storage_key'])
    .where('status', '=', 'deleted')
    .where('storage_key', 'is not', null)
    .where('deleted_at', '<', options.deletedBefore)
    .orderBy('deleted_at')
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({ recordingId: row.id, companyId: row.company_id, storageKey: row.storage_key! }));
}

const expired = (olderThan: Date) => sql<boolean>`coalesce(recordings.started_at, recordings.created_at) < ${olderThan}`;

/** What a cleanup of recordings older than `olderThan` would touch in the company. */
export async function countExpiredRecordings(tx: CompanyTx, olderThan: Date): Promise<{ matched: number; legalHold: number }> {
  const row = await tx
    .selectFrom('recordings')
    .select([sql<string>`count(*)`.as('matched'), sql<string>`count(*) FILTER (WHERE legal_hold)`.as('legal_hold')])
    .where('company_id', '=', tx.scope.companyId)
    .where('status', '<>', 'deleted')
    .where(expired(olderThan))
    .executeTakeFirstOrThrow();
  return { matched: Number(row.matched), legalHold: Number(row.legal_hold) };
}

/**
 * The next batch of the company's expired recordings without a legal hold, locked. Rows another
 * transaction is deleting right now are skipped, not waited for.
 */
export async function lockExpiredRecordings(tx: CompanyTx, olderThan: Date, limit: number): Promise<InScope<Recording>[]> {
  const rows = await tx
    .selectFrom('recordings')
    .selectAll()
    .where('company_id', '=', tx.scope.companyId)
    .where('status', '<>', 'deleted')
    .where('legal_hold', '=', false)
    .where(expired(olderThan))
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return inScope(rows);
}

/** Companies with a retention period, for the sweep. */
export async function listCompanyRetentions(tx: PlatformTx): Promise<Array<{ companyId: string; retentionDays: number }>> {
  const rows = await tx.selectFrom('companies').select(['id', 'retention_days']).where('retention_days', 'is not', null).orderBy('id').execute();
  return rows.map((row) => ({ companyId: row.id, retentionDays: row.retention_days! }));
}
