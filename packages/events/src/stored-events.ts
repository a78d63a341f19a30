import type { WebhookEvent } from '@callvault/db';
import type { EventEffects } from './event-types';
import { isTwilioKind, parseTwilioEvent, twilioEffects, type TwilioKind } from './twilio/twilio-kinds';
import { parseVapiMessage, vapiEffects } from './vapi/vapi-kinds';

export type StoredEvent =
  | { provider: 'twilio'; kind: TwilioKind; event: unknown; tag: string | undefined }
  | { provider: 'vapi'; type: string; message: unknown };

/** Where a reconciliation sync stores what it found: its events' jobs go to the backfill lane. */
export const SYNC_REQUEST_PATH = '/sync/twilio/recordings';
/** Jobs of the backfill lane wait behind fresh calls (BullMQ serves un-prioritized jobs first). */
export const BACKFILL_PRIORITY = 10;

/** A stored event parsed again as on arrival; undefined when its type or payload does not parse. */
export function parseStoredEvent(row: Pick<WebhookEvent, 'provider' | 'event_type' | 'payload'>): StoredEvent | undefined {
  if (row.provider === 'twilio') {
    if (!isTwilioKind(row.event_type)) return undefined;
    const params = row.payload as Record<string, string>;
    const parsed = parseTwilioEvent(row.event_type, params);
    return parsed.success ? { provider: 'twilio', kind: row.event_type, event: parsed.data, tag: params.cv } : undefined;
  }
  const parsed = parseVapiMessage(row.event_type, (row.payload as { message?: unknown }).message);
  return parsed?.success ? { provider: 'vapi', type: row.event_type, message: parsed.data } : undefined;
}

/**
 * The effects of an accepted event, built from its row: in the company and with the owner its
 * tenant resolution found on arrival (the resolution is not run again). Undefined when the row
 * does not parse (it was accepted, so this is a bug the loop reports).
 */
export function effectsOfStoredEvent(
  row: Pick<WebhookEvent, 'provider' | 'event_type' | 'payload' | 'owner_user_id' | 'request_path'>,
): EventEffects | undefined {
  const stored = parseStoredEvent(row);
  if (!stored) return undefined;
  if (stored.provider === 'vapi') return vapiEffects(stored.type, stored.message, row.owner_user_id);
  return twilioEffects(stored.kind, stored.event, row.owner_user_id, row.request_path === SYNC_REQUEST_PATH ? BACKFILL_PRIORITY : undefined);
}
