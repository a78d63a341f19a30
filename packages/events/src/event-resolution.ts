import { findCallOwner, findNumberMatches, findPendingCallOwner, type PlatformTx, type Provider } from '@callvault/db';
import type { Counter } from 'prom-client';
import type { Resolution } from './event-types';
import { registryLookupOf, resolveTenant, type CallNumbers, type Candidates } from './tenant-resolution';
import { TWILIO_EVENTS, type TwilioKind } from './twilio/twilio-kinds';
import { tagOf, vapiNumbers, type VapiCallFields } from './vapi/vapi-events';

export interface ResolutionDeps {
  tagSigningKey: string;
  /** Counts tags that did not check out (forged, expired, or of a company that is no candidate). */
  tagsRejected?: Counter<'provider'>;
}

/**
 * The database half of tenant resolution, among the candidates only: their registry entries for
 * the call's numbers and, when several companies are candidates, the one already holding the call
 * (as a row, or as accepted events whose effects have not committed yet). With one candidate a
 * known call cannot change the outcome, so that lookup is skipped.
 */
async function resolve(
  deps: ResolutionDeps,
  tx: PlatformTx,
  input: { provider: Provider; candidates: Candidates; tag: string | undefined; numbers: CallNumbers; callRef: string },
): Promise<Resolution> {
  const companyIds = input.candidates.companyIds;
  const numberMatches = await findNumberMatches(tx, registryLookupOf(input.numbers), companyIds);
  const existingCall =
    companyIds.length > 1
      ? ((await findCallOwner(tx, input.provider, input.callRef, companyIds)) ?? (await findPendingCallOwner(tx, input.provider, input.callRef, companyIds)))
      : undefined;
  const tenant = resolveTenant(deps.tagSigningKey, { candidates: input.candidates, tag: input.tag, numberMatches, ...input.numbers, existingCall });
  if (tenant.tagRejected) deps.tagsRejected?.inc({ provider: input.provider });
  // Several candidates and nothing told them apart: the provider's record of the call, or its later events, may.
  return { tenant, lookUpTenant: tenant.kind === 'quarantined' && companyIds.length > 1 };
}

/**
 * A parsed Twilio event's tenant. `knownNumbers` are the call's numbers as the provider holds
 * them, for an event that carries none (a recording callback): the tenant lookup passes them.
 */
export function resolveTwilioEvent(
  deps: ResolutionDeps,
  tx: PlatformTx,
  kind: TwilioKind,
  event: unknown,
  candidates: Candidates,
  tag: string | undefined,
  knownNumbers?: CallNumbers,
): Promise<Resolution> {
  const route = TWILIO_EVENTS[kind];
  return resolve(deps, tx, { provider: 'twilio', candidates, tag, numbers: knownNumbers ?? route.numbers(event), callRef: route.callSid(event) });
}

/** A parsed VAPI message's tenant. */
export function resolveVapiEvent(deps: ResolutionDeps, tx: PlatformTx, message: unknown, candidates: Candidates): Promise<Resolution> {
  const event = message as { call: VapiCallFields; phoneNumber?: { number?: string }; customer?: { number?: string } };
  return resolve(deps, tx, { provider: 'vapi', candidates, tag: tagOf(event.call), numbers: vapiNumbers(event), callRef: event.call.id });
}
