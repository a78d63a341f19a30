import { getWebhookEvent, withPlatform, type TwilioSecrets } from '@callvault/db';
import { createTwilioRest } from '@callvault/providers';
import type { EventsDeps } from './events-deps';
import { acceptResolvedEvent, registrationsFor, resolveStoredEvent, type ReplayOutcome } from './replay';
import { parseStoredEvent } from './stored-events';
import { candidatesOf, type CallNumbers } from './tenant-resolution';

/** Thrown to make BullMQ try again later: the call may become known (its other events, Twilio's record). */
export class TenantStillUnknownError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantStillUnknownError';
  }
}

/**
 * A quarantined event of a shared account, looked at again: first with the calls known since
 * (a call-status that arrived after its recording), then, for Twilio, with the call's numbers as
 * Twilio's Calls resource holds them (a recording callback carries none). The lookup uses the
 * account's own credentials, as registered by the candidates, and is never sent anywhere but the
 * configured API base. Numbers that still match no candidate's registry end it: the event stays
 * quarantined for the operator.
 */
export async function lookUpTenant(deps: EventsDeps, eventId: string): Promise<ReplayOutcome> {
  const event = await withPlatform(deps.db, (tx) => getWebhookEvent(tx, eventId));
  if (!event) return 'not_found';
  if (event.status !== 'quarantined') return 'not_quarantined';
  const stored = parseStoredEvent(event);
  if (!stored) return 'still_quarantined';
  const registrations = await registrationsFor(deps, event);
  const candidates = candidatesOf(registrations.map((entry) => entry.account));
  const again = await acceptResolvedEvent(deps, eventId, await resolveStoredEvent(deps, stored, candidates));
  if (again !== 'still_quarantined' || stored.provider !== 'twilio' || registrations.length === 0) {
    if (again === 'still_quarantined' && stored.provider === 'vapi') throw new TenantStillUnknownError('no event of the call names its company yet');
    return again;
  }

  const callSid = (stored.event as { CallSid: string; ParentCallSid?: string }).ParentCallSid ?? (stored.event as { CallSid: string }).CallSid;
  const account = registrations[0]!;
  const rest = createTwilioRest({
    baseUrl: deps.twilioApiBaseUrl,
    credentials: { accountSid: account.account.external_id, ...(account.secrets as TwilioSecrets) },
  });
  const call = await rest.call(callSid);
  if (!call) throw new TenantStillUnknownError('Twilio does not know the call yet');
  const numbers: CallNumbers = { from: call.from, to: call.to, forwardedFrom: call.forwardedFrom };
  const outcome = await acceptResolvedEvent(deps, eventId, await resolveStoredEvent(deps, stored, candidates, numbers));
  if (outcome === 'still_quarantined') deps.log.info({ eventId }, "the call's numbers name no company sharing the account: the event stays quarantined");
  return outcome;
}
