import { acceptQuarantinedEvent, getWebhookEvent, withPlatform, type WebhookEvent } from '@callvault/db';
import { resolveTwilioEvent, resolveVapiEvent } from './event-resolution';
import type { EventsDeps } from './events-deps';
import type { Resolution } from './event-types';
import type { RegisteredAccount } from './provider-directory';
import { parseStoredEvent, type StoredEvent } from './stored-events';
import { candidatesOf, type CallNumbers, type Candidates } from './tenant-resolution';

export type ReplayOutcome = 'accepted' | 'still_quarantined' | 'not_found' | 'not_quarantined';

/**
 * The registrations that may own a stored event: those of companies whose own credential
 * authenticated it on arrival and that still hold the account. Events stored before callvault
 * kept that list fall back to the registrations whose ownership was proven (they hold the real
 * credential, so they would have verified the event).
 */
export async function registrationsFor(deps: EventsDeps, event: WebhookEvent): Promise<RegisteredAccount[]> {
  const current = await deps.directory.lookup(event.provider, event.external_account_id ?? '', { fresh: true });
  const authenticated = event.authenticated_company_ids;
  return authenticated.length > 0
    ? current.filter((entry) => authenticated.includes(entry.account.company_id))
    : current.filter((entry) => entry.account.proven_at !== null);
}

/** Tenant resolution of a stored event with today's mappings, among its candidates only. */
export async function resolveStoredEvent(deps: EventsDeps, stored: StoredEvent, candidates: Candidates, knownNumbers?: CallNumbers): Promise<Resolution> {
  return withPlatform(deps.db, (tx) =>
    stored.provider === 'twilio'
      ? resolveTwilioEvent(deps.resolution, tx, stored.kind, stored.event, candidates, stored.tag, knownNumbers)
      : resolveVapiEvent(deps.resolution, tx, stored.message, candidates),
  );
}

/**
 * A quarantined event that now resolves is accepted into its company; the effects loop applies
 * it like any other event (exactly once). The conditional update makes concurrent replays (an
 * operator's and a tenant lookup's) accept it once.
 */
export async function acceptResolvedEvent(deps: EventsDeps, eventId: string, resolution: Resolution): Promise<ReplayOutcome> {
  if (resolution.tenant.kind !== 'resolved') return 'still_quarantined';
  const { companyId, ownerUserId } = resolution.tenant;
  const accepted = await withPlatform(deps.db, (tx) => acceptQuarantinedEvent(tx, eventId, { companyId, ownerUserId }));
  if (!accepted) return 'not_quarantined';
  deps.log.info({ eventId, companyId }, 'quarantined event accepted');
  return 'accepted';
}

/**
 * Runs a quarantined event through tenant resolution again, with today's mappings (the number
 * registered since), among the companies whose credential authenticated it. If it resolves, it
 * takes effect exactly as on arrival; if not, it stays quarantined.
 */
export async function replayWebhookEvent(deps: EventsDeps, eventId: string): Promise<ReplayOutcome> {
  const event = await withPlatform(deps.db, (tx) => getWebhookEvent(tx, eventId));
  if (!event) return 'not_found';
  if (event.status !== 'quarantined') return 'not_quarantined';
  const stored = parseStoredEvent(event);
  if (!stored) return 'still_quarantined';
  const candidates = candidatesOf((await registrationsFor(deps, event)).map((entry) => entry.account));
  return acceptResolvedEvent(deps, eventId, await resolveStoredEvent(deps, stored, candidates));
}
