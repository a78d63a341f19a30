import { sql } from 'kysely';
import type { CompanyTx } from '../client';
import type { Provider, Recording, RecordingStatus } from '../schema';

export interface ProviderRecordingFacts {
  callId: string;
  ownerUserId: string | null;
  provider: Provider;
  providerRecordingId: string;
  status: 'pending' | 'absent' | 'failed';
  statusReason?: string | null;
  mediaUrl?: string | null;
  channels?: number | null;
  durationSeconds?: number | null;
  startedAt?: Date | null;
  from?: string | null;
  to?: string | null;
  direction?: string | null;
  /** True when the provider says the media can be downloaded now (Twilio `completed`). */
  downloadable: boolean;
}

/**
 * Records what a provider told us about a recording. Returns whether the recording should be
 * fetched now: only when it became downloadable and is not already archived or being archived.
 */
export async function applyProviderRecording(tx: CompanyTx, facts: ProviderRecordingFacts): Promise<{ recordingId: string; shouldFetch: boolean }> {
  const companyId = tx.scope.companyId;
  await tx
    .insertInto('recordings')
    .values({
      company_id: companyId,
      call_id: facts.callId,
      owner_user_id: facts.ownerUserId,
      provider: facts.provider,
      provider_recording_id: facts.providerRecordingId,
      status: facts.status,
      status_reason: facts.statusReason ?? null,
      media_url: facts.mediaUrl ?? null,
      channels: facts.channels ?? null,
      duration_seconds: facts.durationSeconds ?? null,
      started_at: facts.startedAt ?? null,
      from_number: facts.from ?? null,
      to_number: facts.to ?? null,
      direction: facts.direction ?? null,
    })
    .onConflict((conflict) => conflict.columns(['company_id', 'provider', 'provider_recording_id']).doNothing())
    .execute();
  // Lock the row: a concurrent callback about the same recording waits and sees our result.
  const current = await tx
    .selectFrom('recordings')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('provider', '=', facts.provider)
    .where('provider_recording_id', '=', facts.providerRecordingId)
    .forUpdate()
    .executeTakeFirstOrThrow();

  const pendingNow = current.status === 'pending';
  const update = {
    media_url: current.media_url ?? facts.mediaUrl ?? null,
    channels: facts.channels ?? current.channels,
    duration_seconds: facts.durationSeconds ?? current.duration_seconds,
    started_at: current.started_at ?? facts.startedAt ?? null,
    owner_user_id: current.owner_user_id ?? facts.ownerUserId,
    from_number: current.from_number ?? facts.from ?? null,
    to_number: current.to_number ?? facts.to ?? null,
    direction: current.direction ?? facts.direction ?? null,
    // Only a pending recording takes a terminal provider verdict; stored/deleted rows never go back.
    ...(pendingNow && facts.status !== 'pending' ? { status: facts.status as RecordingStatus, status_reason: facts.statusReason ?? null } : {}),
    updated_at: new Date(),
  };
  await tx.updateTable('recordings').set(update).where('company_id', '=', companyId).where('id', '=', current.id).execute();
  return { recordingId: current.id, shouldFetch: pendingNow && facts.downloadable && facts.status === 'pending' };
}

/** Fills the owner and numbers of a call's recordings once a later event tells us who the call belongs to. */
export async function backfillRecordingsFromCall(
  tx: CompanyTx,
  call: { id: string; ownerUserId: string | null; from: string | null; to: string | null; direction: string | null },
): Promise<void> {
  await tx
    .updateTable('recordings')
    .set({
      owner_user_id: sql`coalesce(owner_user_id, ${call.ownerUserId}::uuid)`,
      from_number: sql`coalesce(from_number, ${call.from})`,
      to_number: sql`coalesce(to_number, ${call.to})`,
      direction: sql`coalesce(direction, ${call.direction})`,
    })
    .where('company_id', '=', tx.scope.companyId)
    .where('call_id', '=', call.id)
    .execute();
}

export async function getRecordingForCompany(tx: CompanyTx, recordingId: string): Promise<Recording | undefined> {
  return tx
    .selectFrom('recordings')
    .selectAll()
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', recordingId)
    .executeTakeFirst();
}

/** Claims a recording for archiving; false when it is already stored or no longer wanted. */
export async function claimRecordingForFetch(tx: CompanyTx, recordingId: string): Promise<Recording | undefined> {
  return tx
    .updateTable('recordings')
    .set({ status: 'fetching', updated_at: new Date() })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', recordingId)
    .where('status', 'in', ['pending', 'fetching'])
    .returningAll()
    .executeTakeFirst();
}

export async function markRecordingStored(
  tx: CompanyTx,
  recordingId: string,
  stored: { storageKey: string; sizeBytes: number; sha256: string; format: string; channels: number | null },
): Promise<boolean> {
  const updated = await tx
    .updateTable('recordings')
    .set({
      status: 'stored',
      status_reason: null,
      storage_key: stored.storageKey,
      size_bytes: stored.sizeBytes,
      sha256: stored.sha256,
      format: stored.format,
      channels: stored.channels,
      stored_at: new Date(),
      updated_at: new Date(),
    })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', recordingId)
    // A recording deleted while it was being fetched stays deleted: the caller removes its upload.
    .where('status', '=', 'fetching')
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

export async function markRecordingFailed(tx: CompanyTx, recordingId: string, reason: string): Promise<void> {
  await tx
    .updateTable('recordings')
    .set({ status: 'failed', status_reason: reason.slice(0, 500), updated_at: new Date() })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', recordingId)
    .where('status', 'in', ['pending', 'fetching'])
    .execute();
}

/** Back to pending after a transient failure, so the retry (or a later sync) can claim it again. */
export async function releaseRecordingFetch(tx: CompanyTx, recordingId: string, reason: string): Promise<void> {
  await tx
    .updateTable('recordings')
    .set({ status: 'pending', status_reason: reason.slice(0, 500), updated_at: new Date() })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', recordingId)
    .where('status', '=', 'fetching')
    .execute();
}

export async function findRecordingByProviderId(tx: CompanyTx, provider: Provider, providerRecordingId: string): Promise<Recording | undefined> {
  return tx
    .selectFrom('recordings')
    .selectAll()
    .where('company_id', '=', tx.scope.companyId)
    .where('provider', '=', provider)
    .where('provider_recording_id', '=', providerRecordingId)
    .executeTakeFirst();
}

/**
 * The recording, locked until the caller commits, when it is still stored: a delete that runs
 * meanwhile waits, then removes what the caller wrote with the audio; one that ran first wins.
 */
export async function lockStoredRecording(tx: CompanyTx, recordingId: string): Promise<Recording | undefined> {
  return tx
    .selectFrom('recordings')
    .selectAll()
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', recordingId)
    .where('status', '=', 'stored')
    .forUpdate()
    .executeTakeFirst();
}
