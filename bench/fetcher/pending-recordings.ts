import { sql, type Kysely } from 'kysely';
import type { Database } from '@callvault/db';
import type { SimRecordingHandle } from '../lib/stack';

/**
 * Calls and `pending` recordings exactly as ingest leaves them after a `completed` callback,
 * written in one statement as the owner: the fetcher benchmark measures archiving, not intake.
 * Returns the recording ids in the order of `handles`.
 */
export async function insertPendingRecordings(
  owner: Kysely<Database>,
  input: { companyId: string; accountSid: string; handles: SimRecordingHandle[]; durationSeconds: number },
): Promise<string[]> {
  const callSids = input.handles.map((handle) => handle.callSid);
  const recordingSids = input.handles.map((handle) => handle.sid);
  const mediaUrls = input.handles.map((handle) => handle.recordingCompleted.RecordingUrl!);
  const result = await sql<{ id: string; provider_recording_id: string }>`
    WITH input AS (
      SELECT * FROM unnest(${callSids}::text[], ${recordingSids}::text[], ${mediaUrls}::text[]) AS t(call_sid, recording_sid, media_url)
    ), new_calls AS (
      INSERT INTO calls (company_id, provider, twilio_account_sid, twilio_call_sid, status, status_rank, direction, started_at, duration_seconds)
      SELECT ${input.companyId}::uuid, 'twilio', ${input.accountSid}, call_sid, 'completed', 5, 'inbound', now(), ${input.durationSeconds}
      FROM input
      RETURNING id, twilio_call_sid
    )
    INSERT INTO recordings (company_id, call_id, provider, provider_recording_id, media_url, status, channels, duration_seconds, started_at, direction)
    SELECT ${input.companyId}::uuid, new_calls.id, 'twilio', input.recording_sid, input.media_url, 'pending', 2, ${input.durationSeconds}, now(), 'inbound'
    FROM input JOIN new_calls ON new_calls.twilio_call_sid = input.call_sid
    RETURNING id, provider_recording_id
  `.execute(owner);
  const bySid = new Map(result.rows.map((row) => [row.provider_recording_id, row.id]));
  return recordingSids.map((sid) => bySid.get(sid)!);
}

/** Stored / failed / total recordings of a company. */
export async function recordingProgress(owner: Kysely<Database>, companyId: string): Promise<{ stored: number; failed: number; total: number }> {
  const result = await sql<{ stored: number; failed: number; total: number }>`
    SELECT count(*) FILTER (WHERE status = 'stored')::int AS stored, count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*)::int AS total
    FROM recordings WHERE company_id = ${companyId}::uuid
  `.execute(owner);
  return result.rows[0]!;
}
