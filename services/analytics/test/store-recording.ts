import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CONTENT_TYPES, recordingKey } from '@callvault/storage';
import type { TestEnvironment } from '@callvault/testing';

export interface StoreOptions {
  provider?: 'twilio' | 'vapi';
  format: 'wav' | 'mp3';
  channels: 1 | 2;
  body: Readable;
  status?: 'stored' | 'pending';
  call?: { ended_reason?: string; cost?: number; summary?: string; success_evaluation?: string };
}

/** A call and its archived recording, as the fetcher would leave them: row 'stored', object under the company's prefix. */
export async function storeRecording(env: TestEnvironment, companyId: string, options: StoreOptions): Promise<{ recordingId: string; callId: string }> {
  const provider = options.provider ?? 'twilio';
  const startedAt = new Date('2025-03-14T09:26:53Z');
  const call = await env.ownerDb
    .insertInto('calls')
    .values({
      company_id: companyId,
      provider,
      status: 'completed',
      status_rank: 5,
      started_at: startedAt,
      ...(provider === 'vapi' ? { vapi_call_id: randomUUID() } : { twilio_call_sid: `CA${randomUUID().replace(/-/g, '')}` }),
      ...options.call,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recordingId = randomUUID();
  const key = recordingKey({ companyId, callId: call.id, recordingId, startedAt, extension: options.format });
  const stored = await env.storage.uploadStream({
    key,
    body: options.body,
    contentType: CONTENT_TYPES[options.format]!,
    metadata: { 'company-id': companyId, 'call-id': call.id, 'recording-id': recordingId },
  });
  await env.ownerDb
    .insertInto('recordings')
    .values({
      id: recordingId,
      company_id: companyId,
      call_id: call.id,
      provider,
      provider_recording_id: `RE${recordingId.replace(/-/g, '')}`,
      status: options.status ?? 'stored',
      format: options.format,
      channels: options.channels,
      size_bytes: stored.sizeBytes,
      sha256: stored.sha256,
      storage_key: options.status === 'pending' ? null : key,
      started_at: startedAt,
    })
    .execute();
  return { recordingId, callId: call.id };
}
