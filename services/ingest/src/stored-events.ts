import type { WebhookEvent } from '@callvault/db';
import type { EventEffects } from './event-intake';
import { parseTwilioEvent, TWILIO_EVENTS, twilioEffects, type TwilioKind } from './twilio/twilio-intake';
import { parseVapiMessage, vapiEffects } from './vapi/vapi-routes';

export type StoredEvent = { provider: 'twilio'; kind: TwilioKind; event: unknown; tag: string | undefined } | { provider: 'vapi'; type: string; message: unknown };

/** A stored event parsed again as on arrival; undefined when its type or payload does not parse. */
export function parseStoredEvent(row: WebhookEvent): StoredEvent | undefined {
  if (row.provider === 'twilio') {
    if (!(row.event_type in TWILIO_EVENTS)) return undefined;
    const params = row.payload as Record<string, string>;
    const parsed = parseTwilioEvent(row.event_type as TwilioKind, params);
    return parsed.success ? { provider: 'twilio', kind: row.event_type as TwilioKind, event: parsed.data, tag: params.cv } : undefined;
  }
  const parsed = parseVapiMessage(row.event_type, (row.payload as { message?: unknown }).message);
  return parsed?.success ? { provider: 'vapi', type: row.event_type, message: parsed.data } : undefined;
}

/**
 * The effects of an accepted event rebuilt from its row, in the company and with the owner its
 * tenant resolution found on arrival (the resolution is not run again).
 */
export function effectsOfStoredEvent(row: WebhookEvent): EventEffects | undefined {
  const stored = parseStoredEvent(row);
  if (!stored) return undefined;
  return stored.provider === 'twilio' ? twilioEffects(stored.kind, stored.event, row.owner_user_id) : vapiEffects(stored.type, stored.message, row.owner_user_id);
}
