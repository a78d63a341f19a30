import { z } from 'zod';

export type TwilioParams = Record<string, string | string[]>;

const accountSid = z.string().regex(/^AC[0-9a-f]{32}$/, 'must be AC followed by 32 hex digits');
const callSid = z.string().regex(/^CA[0-9a-f]{32}$/, 'must be CA followed by 32 hex digits');
const recordingSid = z.string().regex(/^RE[0-9a-f]{32}$/, 'must be RE followed by 32 hex digits');
const e164ish = z.string().max(64);
const rfc2822 = z
  .string()
  .max(64)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an RFC 2822 date')
  .transform((value) => new Date(value));
const seconds = z
  .string()
  .regex(/^\d{1,7}$/, 'must be whole seconds')
  .transform(Number);

export const recordingStatusEvent = z.object({
  AccountSid: accountSid,
  CallSid: callSid,
  RecordingSid: recordingSid,
  RecordingUrl: z.string().url().max(2048),
  RecordingStatus: z.enum(['in-progress', 'completed', 'absent', 'failed']),
  RecordingDuration: seconds.optional(),
  RecordingChannels: z.enum(['1', '2']).transform(Number).optional(),
  RecordingStartTime: rfc2822.optional(),
  RecordingSource: z.string().max(64).optional(),
  RecordingTrack: z.string().max(16).optional(),
  ErrorCode: z.string().max(16).optional(),
});
export type RecordingStatusEvent = z.infer<typeof recordingStatusEvent>;

export const callStatusEvent = z.object({
  AccountSid: accountSid,
  CallSid: callSid,
  ParentCallSid: callSid.optional(),
  CallStatus: z.enum(['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled']),
  From: e164ish.optional(),
  To: e164ish.optional(),
  ForwardedFrom: e164ish.optional(),
  Direction: z.string().max(32).optional(),
  CallDuration: seconds.optional(),
  Timestamp: rfc2822.optional(),
  SequenceNumber: z
    .string()
    .regex(/^\d{1,6}$/, 'must be a number')
    .optional(),
  RecordingSid: recordingSid.optional(),
  RecordingUrl: z.string().url().max(2048).optional(),
  RecordingDuration: seconds.optional(),
});
export type CallStatusEvent = z.infer<typeof callStatusEvent>;

export const transcriptionEvent = z.object({
  AccountSid: accountSid,
  CallSid: callSid,
  RecordingSid: recordingSid,
  TranscriptionSid: z.string().regex(/^TR[0-9a-f]{32}$/, 'must be TR followed by 32 hex digits'),
  TranscriptionStatus: z.enum(['completed', 'failed']),
  TranscriptionText: z.string().max(60_000).optional(),
  From: e164ish.optional(),
  To: e164ish.optional(),
});
export type TranscriptionEvent = z.infer<typeof transcriptionEvent>;

export function idempotencyKeyFor(kind: 'recording-status' | 'call-status' | 'transcription', params: Record<string, unknown>): string | undefined {
  const part = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : '');
  const accountSidValue = part('AccountSid');
  if (!accountSidValue) return undefined;
  switch (kind) {
    case 'recording-status':
      return part('RecordingSid') ? `twilio:${accountSidValue}:${part('RecordingSid')}:${part('RecordingStatus')}` : undefined;
    case 'call-status':
      return part('CallSid') ? `twilio:${accountSidValue}:${part('CallSid')}:${part('CallStatus')}:${part('SequenceNumber')}` : undefined;
    case 'transcription':
      return part('TranscriptionSid') ? `twilio:${accountSidValue}:${part('TranscriptionSid')}` : undefined;
  }
}
