import {
  acceptQuarantinedEvent,
  getWebhookEvent,
  lockQuarantinedEvent,
  markWebhookEventsEnqueued,
  narrowToCompany,
  setWebhookEventsJobs,
  withPlatform,
  type WebhookEvent,
} from '@callvault/db';
import type { PreparedEvent } from './event-intake';
import type { IngestDeps } from './ingest-deps';
import { parseTwilioEvent, prepareTwilioEvent, TWILIO_EVENTS, type TwilioKind } from './twilio/twilio-intake';
import { parseVapiMessage, prepareVapiEvent } from './vapi/vapi-routes';

export type ReplayOutcome = 'accepted' | 'still_quarantined' | 'not_found' | 'not_quarantined';

async function prepare(deps: IngestDeps, event: WebhookEvent): Promise<PreparedEvent | undefined> {
  const accounts = await deps.directory.lookup(event.provider, event.external_account_id ?? '', { fresh: true });
  const companyIds = accounts.map((entry) => entry.account.company_id);
  if (event.provider === 'twilio') {
    if (!(event.event_type in TWILIO_EVENTS)) return undefined;
    const params = event.payload as Record<string, string>;
    const parsed = parseTwilioEvent(event.event_type as TwilioKind, params);
    return parsed.success ? withPlatform(deps.db, (tx) => prepareTwilioEvent(deps, tx, event.event_type as TwilioKind, parsed.data, companyIds, params.cv)) : undefined;
  }
  const message = (event.payload as { message?: unknown }).message;
  const parsed = parseVapiMessage(event.event_type, message);
  return parsed?.success ? withPlatform(deps.db, (tx) => prepareVapiEvent(deps, tx, event.event_type, parsed.data, companyIds)) : undefined;
}

/**
 * Runs a quarantined event through tenant resolution again, with today's mappings (the number
 * or account registered since). If it resolves, it takes effect exactly as on arrival; if not,
 * it stays quarantined. The row lock makes concurrent replays of one event apply it once.
 */
export async function replayWebhookEvent(deps: IngestDeps, eventId: string): Promise<ReplayOutcome> {
  const event = await withPlatform(deps.db, (tx) => getWebhookEvent(tx, eventId));
  if (!event) return 'not_found';
  if (event.status !== 'quarantined') return 'not_quarantined';
  const prepared = await prepare(deps, event);
  if (!prepared || prepared.resolution.kind !== 'resolved' || !prepared.apply) return 'still_quarantined';
  const { companyId } = prepared.resolution;
  const jobs = await withPlatform(deps.db, async (tx) => {
    if (!(await lockQuarantinedEvent(tx, eventId))) return undefined;
    await acceptQuarantinedEvent(tx, eventId, companyId);
    const effects = await prepared.apply!(await narrowToCompany(tx, companyId));
    await setWebhookEventsJobs(tx, [{ eventId, jobs: effects }]);
    return effects;
  });
  if (!jobs) return 'not_quarantined';
  try {
    await deps.producer.enqueueMany(jobs);
    await withPlatform(deps.db, (tx) => markWebhookEventsEnqueued(tx, [eventId]));
  } catch (error) {
    deps.log.warn({ err: error, eventId }, 'replayed event stored; enqueue left to the relay');
  }
  deps.log.info({ eventId, companyId }, 'quarantined event replayed');
  return 'accepted';
}
