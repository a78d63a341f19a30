import type { OutboundEventType } from '@callvault/db';
import { z } from 'zod';

const uuid = z.uuid();

/**
 * The `data` of each outbound event type, as integrators receive it (`companyId` is added to
 * every one when the event is recorded). Ids and metadata only: never audio, transcripts,
 * secrets, phone numbers or signed URLs. recordOutboundEvent takes exactly these, and the
 * gateway's OpenAPI document publishes them in its `webhooks` section.
 */
export const EVENT_DATA = {
  'call.completed': z.object({
    callId: uuid,
    provider: z.enum(['twilio', 'vapi']),
    direction: z.string().nullable().meta({ description: 'inbound, outbound-api, outbound-dial, ... as the provider says' }),
  }),
  'recording.stored': z.object({
    recordingId: uuid,
    callId: uuid,
    format: z.string().meta({ description: 'file format of the stored audio (mp3, wav)' }),
    sizeBytes: z.number().int(),
    sha256: z.string().meta({ description: 'hex SHA-256 of the stored audio' }),
  }),
  'recording.failed': z.object({ recordingId: uuid, callId: uuid, reason: z.string().meta({ description: 'why the audio could not be archived' }) }),
  'transcript.completed': z.object({
    recordingId: uuid,
    source: z.string().nullable().meta({ description: 'who transcribed: the provider or the speech-to-text vendor' }),
    language: z.string().nullable(),
    redactionCount: z.number().int().meta({ description: 'personal data spans redacted from the transcript' }),
  }),
  // Two analyses complete per recording: the call metrics, and (for companies that opted in) the model's analysis.
  'analysis.completed': z.object({
    recordingId: uuid,
    callId: uuid,
    kind: z
      .enum(['metrics', 'intelligence'])
      .meta({ description: 'metrics: talk time and ratio; intelligence: the summary and scorecard (GET the recording)' }),
    durationSeconds: z.number().nullable().optional().meta({ description: 'kind metrics' }),
    talkRatio: z.number().nullable().optional().meta({ description: "kind metrics: share of the talk time that was the agent's" }),
    model: z.string().optional().meta({ description: 'kind intelligence: the model that answered' }),
    scorecardAnswers: z.number().int().optional().meta({ description: 'kind intelligence: how many scorecard questions were answered' }),
  }),
  'recording.deleted': z.object({ recordingId: uuid, callId: uuid, reason: z.string().meta({ description: 'request, bulk, cleanup, retention or erasure' }) }),
} satisfies Record<OutboundEventType, z.ZodObject>;

export type OutboundEventData<Type extends OutboundEventType> = z.input<(typeof EVENT_DATA)[Type]>;
