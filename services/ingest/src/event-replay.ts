import { acceptQuarantinedEvent, getWebhookEvent, lockQuarantinedEvent, markWebhookEventsEnqueued, narrowToCompany, setWebhookEventsJobs, withPlatform, type WebhookEvent } from '@callvault/db';
import type { PreparedEvent } from './event-intake';
import type { IngestDeps } from './ingest-deps';
import type { RegisteredAccount } from './provider-directory';
import { parseStoredEvent, type StoredEvent } from './stored-events';
import { candidatesOf, type CallNumbers, type Candidates } from './tenant-resolution';
import { prepareTwilioEvent } from './twilio/twilio-intake';
import { prepareVapiEvent } from './vapi/vapi-routes';

export type ReplayOutcome = 'accepted' | 'still_quarantined' | 'not_found' | 'not_quarantined';

/**
 * The registrations that may own a stored event: those of companies whose own credential
 * authenticated it on arrival and that still hold the account. Events stored before callvault
 * kept that list fall back to the registrations whose ownership was proven (they hold the real
 * credential, so they would have verified the event).
 */
export async function registrationsFor(deps: IngestDeps, event: WebhookEvent): Promise<RegisteredAccount[]> {
  const current = await deps.directory.lookup(event.provider, event.external_account_id ?? '', { fresh: true });
  const authenticated = event.authenticated_company_ids;
  return authenticated.length > 0 ? current.filter((entry) => authenticated.includes(entry.account.company_id)) : current.filter((entry) => entry.account.proven_at !== null);
}

/** Tenant resolution of a stored event with today's mappings, among its candidates only. */
export async function prepareStoredEvent(deps: IngestDeps, stored: StoredEvent, candidates: Candidates, knownNumbers?: CallNumbers): Promise<PreparedEvent> {
  return withPlatform(deps.db, (tx) =>
    stored.provider === 'twilio'
      ? prepareTwilioEvent(deps, tx, stored.kind, stored.event, candidates, stored.tag, knownNumbers)
      : prepareVapiEvent(deps, tx, stored.type, stored.message, candidates),
  );
}

/**
 * Makes a quarantined event that now resolves take effect exactly as on arrival. The row lock
 * makes concurrent replays (an operator's and a tenant lookup's) apply it once.
 */
export async function acceptResolvedEvent(deps: IngestDeps, eventId: string, prepared: PreparedEvent): Promise<ReplayOutcome> {
  if (prepared.resolution.kind !== 'resolved' || !prepared.effects) return 'still_quarantined';
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
  deps.log.info({ eventId, companyId }, 'quarantined event accepted');
  return 'accepted';
}

/**
 * Runs a quarantined event through tenant resolution again, with today's mappings (the number
 * registered since), among the companies whose credential authenticated it. If it resolves, it
 * takes effect exactly as on arrival; if not, it stays quarantined.
 */
export async function replayWebhookEvent(deps: IngestDeps, eventId: string): Promise<ReplayOutcome> {
  const event = await withPlatform(deps.db, (tx) => getWebhookEvent(tx, eventId));
  if (!event) return 'not_found';
  if (event.status !== 'quarantined') return 'not_quarantined';
  const stored = parseStoredEvent(event);
  if (!stored) return 'still_quarantined';
  const candidates = candidatesOf((await registrationsFor(deps, event)).map((entry) => entry.account));
  return acceptResolvedEvent(deps, eventId, await prepareStoredEvent(deps, stored, candidates));
}
