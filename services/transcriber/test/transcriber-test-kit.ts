import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { upsertProviderTranscript, withCompany, type ProviderTranscriptFacts, type Provider, type Recording } from '@callvault/db';
import type { JobContext } from '@callvault/queue';
import { CONTENT_TYPES, recordingKey } from '@callvault/storage';
import type { TestEnvironment } from '@callvault/testing';

/** A job context as runWorker builds it; `attempt` is 1-based like the log field. */
export function jobContext(env: TestEnvironment, options: { attempt?: number; attempts?: number; signal?: AbortSignal } = {}): JobContext {
  const job = {
    id: `test-${randomUUID()}`,
    timestamp: Date.now(),
    attemptsMade: (options.attempt ?? 1) - 1,
    opts: { attempts: options.attempts ?? 5 },
  } as unknown as JobContext['job'];
  return { job, log: env.log, signal: options.signal ?? new AbortController().signal };
}

export interface SeededRecording {
  recording: Recording;
  callId: string;
}

/**
 * A call and its recording, written directly as the ingest and the fetcher would have left them.
 * With `audio`, the stream is uploaded under the recording's key and the recording is `stored` with it.
 */
export async function seedRecording(
  env: TestEnvironment,
  companyId: string,
  options: {
    provider: Provider;
    providerRecordingId?: string;
    ownerUserId?: string | null;
    status?: Recording['status'];
    audio?: { stream: Readable; format: 'wav' | 'mp3'; channels: 1 | 2 };
    startedAt?: Date;
  },
): Promise<SeededRecording> {
  const providerRecordingId = options.providerRecordingId ?? (options.provider === 'vapi' ? randomUUID() : `RE${randomUUID().replaceAll('-', '')}`);
  const call = await env.ownerDb
    .insertInto('calls')
    .values({
      company_id: companyId,
      owner_user_id: options.ownerUserId ?? null,
      provider: options.provider,
      vapi_call_id: options.provider === 'vapi' ? providerRecordingId : null,
      twilio_call_sid: options.provider === 'twilio' ? `CA${randomUUID().replaceAll('-', '')}` : null,
      status: 'completed',
      status_rank: 5,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const startedAt = options.startedAt ?? new Date('2026-09-01T14:03:07.412Z');
  const inserted = await env.ownerDb
    .insertInto('recordings')
    .values({
      company_id: companyId,
      call_id: call.id,
      owner_user_id: options.ownerUserId ?? null,
      provider: options.provider,
      provider_recording_id: providerRecordingId,
      status: options.status ?? 'stored',
      started_at: startedAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (!options.audio) return { recording: inserted, callId: call.id };

  const key = recordingKey({ companyId, callId: call.id, recordingId: inserted.id, startedAt, extension: options.audio.format });
  const stored = await env.storage.uploadStream({
    key,
    body: options.audio.stream,
    contentType: CONTENT_TYPES[options.audio.format]!,
    metadata: { 'company-id': companyId, 'call-id': call.id, 'recording-id': inserted.id },
  });
  const recording = await env.ownerDb
    .updateTable('recordings')
    .set({ storage_key: key, format: options.audio.format, channels: options.audio.channels, size_bytes: stored.sizeBytes, sha256: stored.sha256 })
    .where('id', '=', inserted.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { recording, callId: call.id };
}

/** A provider's transcript of a recording, as ingest stores it when it applies the provider's event. */
export async function seedProviderTranscript(env: TestEnvironment, companyId: string, facts: ProviderTranscriptFacts): Promise<void> {
  await withCompany(env.db, companyId, (tx) => upsertProviderTranscript(tx, facts));
}

export async function transcriptOf(env: TestEnvironment, recordingId: string) {
  const rows = await env.ownerDb.selectFrom('transcripts').selectAll().where('recording_id', '=', recordingId).execute();
  if (rows.length > 1) throw new Error('more than one transcript for a recording');
  return rows[0];
}

export async function hasTranscript(env: TestEnvironment, recordingId: string): Promise<boolean> {
  const row = await env.ownerDb.selectFrom('recordings').select('has_transcript').where('id', '=', recordingId).executeTakeFirstOrThrow();
  return row.has_transcript;
}
