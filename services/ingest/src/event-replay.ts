import { acceptQuarantinedEvent, getWebhookEvent, lockQuarantinedEvent, markWebhookEventsEnqueued, narrowToCompany, setWebhookEventsJobs, withPlatform, type WebhookEvent } from '@callvault/db';
import type { PreparedEvent } from './event-intake';
import type { IngestDeps } from './ingest-deps';
import { parseStoredEvent } from './stored-events';
import { prepareTwilioEvent } from './twilio/twilio-intake';
import { prepareVapiEvent } from './vapi/vapi-routes';

export type ReplayOutcome = 'accepted' | 'still_quarantined' | 'not_found' | 'not_quarantined';

async function prepare(deps: IngestDeps, event: WebhookEvent): Promise<PreparedEvent | undefined> {
  const accounts = await deps.directory.lookup(event.provider, event.external_account_id ?? '', { fresh: true });
  const companyIds = accounts.map((entry) => entry.account.company_id);
  const stored = parseStoredEvent(event);
  if (!stored) return undefined;
  return withPlatform(deps.db, (tx) =>
    stored.provider === 'twilio' ? prepareTwilioEvent(deps, tx, stored.kind, stored.event, companyIds, stored.tag) : prepareVapiEvent(deps, tx, stored.type, stored.message, companyIds),
  );
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
  if (!prepared || prepared.resolution.kind !== 'resolved' || !prepared.effects) return 'still_quarantined';
  const { companyId, ownerUserId } = prepared.resolution;
  const { effects } = prepared;
  const jobs = await withPlatform(deps.db, async (tx) => {
    if (!(await lockQuarantinedEvent(tx, eventId))) return undefined;
    await acceptQuarantinedEvent(tx, eventId, { companyId, ownerUserId });
    const caused = await effects.apply(await narrowToCompany(tx, companyId));
    await setWebhookEventsJobs(tx, [{ eventId, jobs: caused }]);
    return caused;
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
