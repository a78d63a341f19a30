import { verifyTenantTag } from '@callvault/crypto';
import type { PhoneNumber } from '@callvault/db';

export type TenantEvidence = 'tag' | 'phone_number' | 'existing_call' | 'provider_account';

export type TenantResolution =
  | { kind: 'resolved'; companyId: string; ownerUserId: string | null; evidence: TenantEvidence; tagRejected: boolean }
  | { kind: 'quarantined'; reason: string; tagRejected: boolean };

/**
 * The companies an event may belong to: those whose own registered credential authenticated it.
 * No other registration of the same account, number or call has any say.
 */
export interface Candidates {
  companyIds: string[];
  /** The one company holding the account unshared: the account alone names it when nothing stronger does. */
  soleOwnerId: string | undefined;
}

/** Candidates from the registrations that verified a request (or, for a replay, still hold the account). */
export function candidatesOf(registrations: ReadonlyArray<{ company_id: string; shared: boolean }>): Candidates {
  const companyIds = [...new Set(registrations.map((registration) => registration.company_id))].sort();
  const only = registrations.length === 1 ? registrations[0] : undefined;
  return { companyIds, soleOwnerId: only && !only.shared ? only.company_id : undefined };
}

export interface CallNumbers {
  from: string | null;
  to: string | null;
  /** Twilio's ForwardedFrom: the company line that forwarded the call (matched like a `to` number). */
  forwardedFrom?: string | null;
}

export interface TenantFacts extends CallNumbers {
  candidates: Candidates;
  /** Our signed tag from the callback URL or VAPI metadata, if any. */
  tag: string | undefined;
  /** Registry entries matching the call's numbers (any company: only candidates count). */
  numberMatches: PhoneNumber[];
  /** A call with this provider id already known to one of the candidate companies. */
  existingCall: { companyId: string; ownerUserId: string | null } | undefined;
}

/**
 * The registry entry that speaks for a call, strongest first and deterministic: the calling
 * number (a company's own line calling a shared assistant number says more than the shared
 * number), then the line that forwarded the call, then the number called. Only candidates count.
 */
export function numberMatchFor(matches: readonly PhoneNumber[], numbers: CallNumbers, candidateIds: readonly string[]): PhoneNumber | undefined {
  const wanted: Array<[string | null | undefined, 'from' | 'to']> = [
    [numbers.from, 'from'],
    [numbers.forwardedFrom, 'to'],
    [numbers.to, 'to'],
  ];
  for (const [e164, matchOn] of wanted) {
    const match = e164 ? matches.find((entry) => entry.e164 === e164 && entry.match_on === matchOn && candidateIds.includes(entry.company_id)) : undefined;
    if (match) return match;
  }
  return undefined;
}

/**
 * Strongest evidence first: our signed tag → the phone-number registry → a call we already
 * attributed → the account when one company holds it unshared. Nothing is guessed: every answer
 * is a candidate company, so one company's credential can never push events into another
 * company (even with a copied tag or a claimed number).
 */
export function resolveTenant(tagSigningKey: string, facts: TenantFacts, now = new Date()): TenantResolution {
  const candidateIds = facts.candidates.companyIds;
  let tagRejected = false;

  if (facts.tag !== undefined) {
    const verified = verifyTenantTag(tagSigningKey, facts.tag, now);
    if (verified.ok && candidateIds.includes(verified.tag.companyId)) {
      return { kind: 'resolved', companyId: verified.tag.companyId, ownerUserId: verified.tag.ownerUserId, evidence: 'tag', tagRejected };
    }
    tagRejected = true;
  }

  const byNumber = numberMatchFor(facts.numberMatches, facts, candidateIds);
  if (byNumber) return { kind: 'resolved', companyId: byNumber.company_id, ownerUserId: byNumber.owner_user_id, evidence: 'phone_number', tagRejected };

  if (facts.existingCall && candidateIds.includes(facts.existingCall.companyId)) {
    return { kind: 'resolved', companyId: facts.existingCall.companyId, ownerUserId: facts.existingCall.ownerUserId, evidence: 'existing_call', tagRejected };
  }

  if (facts.candidates.soleOwnerId)
    return { kind: 'resolved', companyId: facts.candidates.soleOwnerId, ownerUserId: null, evidence: 'provider_account', tagRejected };

  return {
    kind: 'quarantined',
    reason: candidateIds.length === 0 ? 'no company holds the account any more' : 'shared provider account and no number, tag or known call names the company',
    tagRejected,
  };
}

/** Numbers a registry lookup needs for a call (ForwardedFrom is looked up as a `to` number). */
export function registryLookupOf(numbers: CallNumbers): Array<{ e164: string; matchOn: 'from' | 'to' }> {
  const lookups: Array<{ e164: string; matchOn: 'from' | 'to' }> = [];
  if (numbers.from) lookups.push({ e164: numbers.from, matchOn: 'from' });
  for (const e164 of [numbers.forwardedFrom, numbers.to]) if (e164) lookups.push({ e164, matchOn: 'to' });
  return lookups;
}
