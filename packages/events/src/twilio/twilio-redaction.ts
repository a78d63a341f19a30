/**
 * The fields of a stored Twilio webhook (form parameters, see twilio-events.ts) that survive
 * redaction: the ids that make up the idempotency keys and link the event to its call, statuses,
 * times and durations, and our own signed tag. Everything else is redacted, notably
 * `TranscriptionText`, the numbers (`From`, `To`, `Caller`, `Called`, `ForwardedFrom`),
 * `CallerName`, caller location fields and the media URLs.
 */
export const TWILIO_KEPT_FIELDS: readonly string[] = [
  'AccountSid',
  'CallSid',
  'ParentCallSid',
  'RecordingSid',
  'TranscriptionSid',
  'CallStatus',
  'RecordingStatus',
  'TranscriptionStatus',
  'SequenceNumber',
  'Timestamp',
  'RecordingStartTime',
  'RecordingDuration',
  'RecordingChannels',
  'RecordingSource',
  'RecordingTrack',
  'CallDuration',
  'Direction',
  'ErrorCode',
  'ApiVersion',
  'cv',
];
