/**
 * The paths of a stored VAPI webhook body (`{ message }`, see vapi-events.ts) that survive
 * redaction: the ids in the idempotency key and the call's link to the org, assistant and
 * Twilio call, statuses, times and costs, and our own signed tag. Everything else is redacted,
 * notably `artifact` (transcript, messages, recording URLs), `analysis` (summary, structured
 * data), `customer` (number, name), `variableValues` and any top-level `transcript`/`summary`.
 */
export const VAPI_KEPT_PATHS: readonly string[] = [
  'message.type',
  'message.status',
  'message.timestamp',
  'message.endedReason',
  'message.startedAt',
  'message.endedAt',
  'message.cost',
  'message.call.id',
  'message.call.orgId',
  'message.call.type',
  'message.call.status',
  'message.call.endedReason',
  'message.call.createdAt',
  'message.call.updatedAt',
  'message.call.startedAt',
  'message.call.endedAt',
  'message.call.cost',
  'message.call.phoneCallProvider',
  'message.call.phoneCallProviderId',
  'message.call.assistantId',
  'message.call.phoneNumberId',
  'message.call.assistantOverrides.metadata.callvault',
];
