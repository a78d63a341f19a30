import { verifyTenantTag } from '@callvault/crypto';
import type { PhoneNumber } from '@callvault/db';

export type TenantEvidence = 'tag' | 'phone_number' | 'existing_call' | 'provider_account';

export type TenantResolution =
  | { kind: 'resolved'; companyId: string; ownerUserId: string | null; evidence: TenantEvidence; tagRejected: boolean }
  | { kind: 'quarantined'; reason: string; tagRejected: boolean };

export interface TenantFacts {
  /** Companies that registered the provider account the (authenticated) event came from. */
  accountCompanyIds: string[];
  /** Our signed tag from the callback URL or VAPI metadata, if any. */
  tag: string | undefined;
  /** Registry entries matching the call's from/to numbers. */
  numberMatches: PhoneNumber[];
  from: string | null;
  to: string | null;
  /** A call with this provider id already known to one of the candidate companies. */
  existingCall: { companyId: string; ownerUserId: string | null } | undefined;
}

/**
 * Strongest evidence first: our signed tag → the phone-number registry → a call we already
 * attributed → the provider account when exactly one company registered it. Nothing is guessed:
 * every candidate must be a company that registered the authenticated account, so one company's
 * provider can never push events into another company (even with a copied tag).
 */
export function resolveTenant(tagSigningKey: string, facts: TenantFacts, now = new Date()): TenantResolution {
  const candidates = new Set(facts.accountCompanyIds);
  let tagRejected = false;

  if (facts.tag !== undefined) {
    const verified = verifyTenantTag(tagSigningKey, facts.tag, now);
    if (verified.ok && candidates.has(verified.tag.companyId)) {
      return { kind: 'resolved', companyId: verified.tag.companyId, ownerUserId: verified.tag.ownerUserId, evidence: 'tag', tagRejected };
    }
    tagRejected = true;
  }

  // `from` first: a company's own line calling a shared assistant number says more than the shared number.
  const byNumber = [facts.from ? findMatch(facts.numberMatches, facts.from, 'from') : undefined, facts.to ? findMatch(facts.numberMatches, facts.to, 'to') : undefined].find(
    (match) => match !== undefined && candidates.has(match.company_id),
  );
  if (byNumber) {
    return { kind: 'resolved', companyId: byNumber.company_id, ownerUserId: byNumber.owner_user_id, evidence: 'phone_number', tagRejected };
  }

  if (facts.existingCall && candidates.has(facts.existingCall.companyId)) {
    return { kind: 'resolved', companyId: facts.existingCall.companyId, ownerUserId: facts.existingCall.ownerUserId, evidence: 'existing_call', tagRejected };
  }

  if (candidates.size === 1) {
    const [companyId] = [...candidates] as [string];
    return { kind: 'resolved', companyId, ownerUserId: null, evidence: 'provider_account', tagRejected };
  }

  return {
    kind: 'quarantined',
    reason: candidates.size === 0 ? 'provider account is not registered by any company' : 'provider account is shared and no number or tag identifies the company',
    tagRejected,
  };
}

function findMatch(matches: PhoneNumber[], e164: string, matchOn: 'from' | 'to'): PhoneNumber | undefined {
  return matches.find((match) => match.e164 === e164 && match.match_on === matchOn);
}
