import { sql } from 'kysely';
import type { CompanyTx } from '../client';
import type { Provider, Recording, RecordingStatus } from '../schema';
import type { CallSummary } from './calls';

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
  /** A short-lived signed URL the provider offered (VAPI's presigned URL): the fetcher's fallback. */
  mediaFallback?: { url: string; expiresAt: Date | null } | null;
}

/**
 * How a provider's later word about a recording merges into its row (ON CONFLICT DO UPDATE), for
 * every upsert of recordings: known facts are kept, new ones filled in, and the status only moves
 * forward. `excluded` is the row the statement tried to insert.
 */
export const RECORDING_MERGE = {
  media_url: sql<string | null>`coalesce(recordings.media_url, excluded.media_url)`,
  // A provider's presigned URL changes with every delivery: the newest one is the one still valid.
  media_fallback_url: sql<
    string | null
  >`CASE WHEN excluded.media_fallback_url IS NOT NULL AND recordings.status IN ('pending', 'fetching') THEN excluded.media_fallback_url ELSE recordings.media_fallback_url END`,
  media_fallback_expires_at: sql<Date | null>`CASE WHEN excluded.media_fallback_url IS NOT NULL AND recordings.status IN ('pending', 'fetching') THEN excluded.media_fallback_expires_at ELSE recordings.media_fallback_expires_at END`,
  channels: sql<number | null>`coalesce(excluded.channels, recordings.channels)`,
  duration_seconds: sql<number | null>`coalesce(excluded.duration_seconds, recordings.duration_seconds)`,
  started_at: sql<Date | null>`coalesce(recordings.started_at, excluded.started_at)`,
  owner_user_id: sql<string | null>`coalesce(recordings.owner_user_id, excluded.owner_user_id)`,
  from_number: sql<string | null>`coalesce(recordings.from_number, excluded.from_number)`,
  to_number: sql<string | null>`coalesce(recordings.to_number, excluded.to_number)`,
  direction: sql<string | null>`coalesce(recordings.direction, excluded.direction)`,
  // Only a pending recording takes a terminal provider verdict; stored/deleted rows never go back.
  status: sql<RecordingStatus>`CASE WHEN recordings.status = 'pending' THEN excluded.status ELSE recordings.status END`,
  status_reason: sql<
    string | null
  >`CASE WHEN recordings.status = 'pending' AND excluded.status <> 'pending' THEN excluded.status_reason ELSE recordings.status_reason END`,
  // Set when this event makes a pending recording fetchable (exactly when shouldFetch is true).
  fetch_requested_at: sql<Date | null>`CASE WHEN recordings.status = 'pending' AND excluded.fetch_requested_at IS NOT NULL THEN coalesce(recordings.fetch_requested_at, excluded.fetch_requested_at) ELSE recordings.fetch_requested_at END`,
  updated_at: sql<Date>`now()`,
};

/** RECORDING_MERGE as the SET list of a hand-written statement. */
export const recordingMergeSet = sql.join(Object.entries(RECORDING_MERGE).map(([column, value]) => sql`${sql.ref(column)} = ${value}`));

/**
 * Records what a provider told us about a recording. Returns whether the recording should be
 * fetched now: only when it became downloadable and is not already archived or being archived.
 */
export async function applyProviderRecording(tx: CompanyTx, facts: ProviderRecordingFacts): Promise<{ recordingId: string; shouldFetch: boolean }> {
  // One statement: the row lock taken by ON CONFLICT makes a concurrent callback about the same
  // recording wait and then build on our result.
  const row = await tx
    .insertInto('recordings')
    .values({
      company_id: tx.scope.companyId,
      call_id: facts.callId,
      owner_user_id: facts.ownerUserId,
      provider: facts.provider,
      provider_recording_id: facts.providerRecordingId,
      status: facts.status,
      status_reason: facts.statusReason ?? null,
      media_url: facts.mediaUrl ?? null,
      media_fallback_url: facts.mediaFallback?.url ?? null,
      media_fallback_expires_at: facts.mediaFallback?.expiresAt ?? null,
      channels: facts.channels ?? null,
      duration_seconds: facts.durationSeconds ?? null,
      started_at: facts.startedAt ?? null,
      from_number: facts.from ?? null,
      to_number: facts.to ?? null,
      direction: facts.direction ?? null,
      fetch_requested_at: facts.downloadable && facts.status === 'pending' ? sql<Date>`now()` : null,
    })
    .onConflict((conflict) => conflict.columns(['company_id', 'provider', 'provider_recording_id']).doUpdateSet(RECORDING_MERGE))
    .returning(['id', 'status'])
    .executeTakeFirstOrThrow();
  // A pending verdict leaves the status as it was, so "pending now" is "was pending": fetch only then.
  return { recordingId: row.id, shouldFetch: row.status === 'pending' && facts.downloadable && facts.status === 'pending' };
}

/** Fills the owner and numbers of a call's recordings once a later event tells us who the call belongs to. */
export async function backfillRecordingsFromCall(tx: CompanyTx, call: CallSummary): Promise<void> {
  await backfillRecordingsFromCalls(tx, [call]);
}

/**
 * `backfillRecordingsFromCall` for many calls in one statement. Only recordings that gain
 * something are written: a call's fourth status callback rewrites none of its recordings.
 */
export async function backfillRecordingsFromCalls(tx: CompanyTx, calls: CallSummary[]): Promise<void> {
  if (calls.length === 0) return;
  await sql`UPDATE recordings SET
      owner_user_id = coalesce(recordings.owner_user_id, call.owner_user_id),
      from_number = coalesce(recordings.from_number, call.from_number),
      to_number = coalesce(recordings.to_number, call.to_number),
      direction = coalesce(recordings.direction, call.direction)
    FROM unnest(
      ${calls.map((call) => call.id)}::uuid[], ${calls.map((call) => call.ownerUserId)}::uuid[],
      ${calls.map((call) => call.from)}::text[], ${calls.map((call) => call.to)}::text[], ${calls.map((call) => call.direction)}::text[]
    ) AS call(id, owner_user_id, from_number, to_number, direction)
    WHERE recordings.company_id = ${tx.scope.companyId}::uuid AND recordings.call_id = call.id
      AND (recordings.owner_user_id, recordings.from_number, recordings.to_number, recordings.direction) IS DISTINCT FROM
        (coalesce(recordings.owner_user_id, call.owner_user_id), coalesce(recordings.from_number, call.from_number), coalesce(recordings.to_number, call.to_number), coalesce(recordings.direction, call.direction))`.execute(
    tx,
  );
}

export async function getRecordingForCompany(tx: CompanyTx, recordingId: string): Promise<Recording | undefined> {
  return tx.selectFrom('recordings').selectAll().where('company_id', '=', tx.scope.companyId).where('id', '=', recordingId).executeTakeFirst();
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
      // Archived: the provider's signed URL is of no further use, and a link to the audio should not linger.
      media_fallback_url: null,
      media_fallback_expires_at: null,
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

export async function markRecordingFailed(tx: CompanyTx, recordingId: string, reason: string): Promise<boolean> {
  const updated = await tx
    .updateTable('recordings')
    .set({ status: 'failed', status_reason: reason.slice(0, 500), updated_at: new Date() })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', recordingId)
    .where('status', 'in', ['pending', 'fetching'])
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
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
