import { sql } from 'kysely';
import type { CompanyTx } from '../client';
import { recordingMergeSet } from './recordings';

/** What one Twilio recording-status callback says, for `applyTwilioRecordingStatuses`. */
export interface TwilioRecordingStatusFacts {
  accountSid: string;
  callSid: string;
  /** The owner tenant resolution proposes; a call that already has one keeps it. */
  ownerUserId: string | null;
  recordingSid: string;
  status: 'pending' | 'absent' | 'failed';
  statusReason: string | null;
  mediaUrl: string;
  channels: number | null;
  durationSeconds: number | null;
  startedAt: Date | null;
}

/**
 * Many recording-status callbacks of one company in one statement: each call is created or
 * touched (as `upsertTwilioCall` with no call facts would) and each recording created or merged
 * by RECORDING_MERGE, the rules `applyProviderRecording` uses. One statement instead
 * of two per callback is what lets ingest keep up with a burst.
 *
 * Every callSid and recordingSid must appear once (ON CONFLICT may touch a row once per
 * statement): callers split repeats into separate calls. Results are in input order;
 * `shouldFetch` is true when the recording became downloadable and is not archived or claimed.
 */
export async function applyTwilioRecordingStatuses(
  tx: CompanyTx,
  items: Array<TwilioRecordingStatusFacts & { downloadable: boolean }>,
): Promise<Array<{ recordingId: string; shouldFetch: boolean }>> {
  if (items.length === 0) return [];
  const column = <T>(pick: (item: TwilioRecordingStatusFacts) => T) => items.map(pick);
  const { rows } = await sql<{ id: string; status: string; provider_recording_id: string }>`
    WITH input AS (
      SELECT * FROM unnest(
        ${column((item) => item.accountSid)}::text[], ${column((item) => item.callSid)}::text[], ${column((item) => item.ownerUserId)}::uuid[],
        ${column((item) => item.recordingSid)}::text[], ${column((item) => item.status)}::text[], ${column((item) => item.statusReason)}::text[],
        ${column((item) => item.mediaUrl)}::text[], ${column((item) => item.channels)}::int[], ${column((item) => item.durationSeconds)}::int[],
        ${column((item) => item.startedAt)}::timestamptz[], ${items.map((item) => item.downloadable)}::boolean[]
      ) AS input(account_sid, call_sid, owner_user_id, recording_sid, status, status_reason, media_url, channels, duration_seconds, started_at, downloadable)
    ),
    touched_calls AS (
      -- Sorted so that concurrent batches lock calls in one order.
      INSERT INTO calls (company_id, provider, twilio_account_sid, twilio_call_sid, owner_user_id, status, status_rank)
      SELECT ${tx.scope.companyId}::uuid, 'twilio', account_sid, call_sid, owner_user_id, 'unknown', 0 FROM input ORDER BY call_sid
      ON CONFLICT (company_id, twilio_call_sid) DO UPDATE SET owner_user_id = coalesce(calls.owner_user_id, excluded.owner_user_id), updated_at = now()
      RETURNING id, twilio_call_sid, owner_user_id, from_number, to_number, direction
    )
    INSERT INTO recordings (company_id, call_id, owner_user_id, provider, provider_recording_id, status, status_reason, media_url, channels, duration_seconds, started_at, from_number, to_number, direction, fetch_requested_at)
    SELECT ${tx.scope.companyId}::uuid, c.id, c.owner_user_id, 'twilio', i.recording_sid, i.status, i.status_reason, i.media_url, i.channels, i.duration_seconds, i.started_at, c.from_number, c.to_number, c.direction,
      CASE WHEN i.downloadable AND i.status = 'pending' THEN now() END
    FROM input i JOIN touched_calls c ON c.twilio_call_sid = i.call_sid
    ORDER BY i.recording_sid
    ON CONFLICT (company_id, provider, provider_recording_id) DO UPDATE SET ${recordingMergeSet}
    RETURNING recordings.id, recordings.status, recordings.provider_recording_id`.execute(tx);
  const byRecordingSid = new Map(rows.map((row) => [row.provider_recording_id, row]));
  return items.map((item) => {
    const row = byRecordingSid.get(item.recordingSid);
    if (!row) throw new Error(`recording ${item.recordingSid} was not written`);
    // A pending verdict leaves the status as it was, so "pending now" is "was pending": fetch only then.
    return { recordingId: row.id, shouldFetch: row.status === 'pending' && item.downloadable && item.status === 'pending' };
  });
}
