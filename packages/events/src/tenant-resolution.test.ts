import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTenantTag } from '@callvault/crypto';
import type { PhoneNumber } from '@callvault/db';
import { candidatesOf, numberMatchFor, registryLookupOf, resolveTenant, type TenantFacts } from './tenant-resolution';

const key = randomBytes(32).toString('base64url');
const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];

function entry(companyId: string, e164: string, matchOn: 'from' | 'to', owner: string | null = null): PhoneNumber {
  const now = new Date();
  return {
    id: randomUUID(),
    company_id: companyId,
    e164,
    match_on: matchOn,
    owner_user_id: owner,
    vapi_assistant_id: null,
    label: null,
    created_at: now,
    updated_at: now,
  };
}

const facts = (overrides: Partial<TenantFacts>): TenantFacts => ({
  candidates: candidatesOf([{ company_id: a, shared: false }]),
  tag: undefined,
  numberMatches: [],
  from: null,
  to: null,
  existingCall: undefined,
  ...overrides,
});

describe('candidates', () => {
  it('names a sole owner only for one unshared registration', () => {
    expect(candidatesOf([{ company_id: a, shared: false }])).toEqual({ companyIds: [a], soleOwnerId: a });
    expect(candidatesOf([{ company_id: a, shared: true }])).toEqual({ companyIds: [a], soleOwnerId: undefined });
    expect(
      candidatesOf([
        { company_id: b, shared: true },
        { company_id: a, shared: true },
      ]),
    ).toEqual({ companyIds: [a, b].sort(), soleOwnerId: undefined });
    expect(candidatesOf([])).toEqual({ companyIds: [], soleOwnerId: undefined });
  });
});

describe('resolveTenant', () => {
  const shared = candidatesOf([
    { company_id: a, shared: true },
    { company_id: b, shared: true },
  ]);

  it('trusts our tag only for a candidate company', () => {
    const tagFor = (companyId: string) => signTenantTag(key, { companyId, ownerUserId: null, expiresAt: new Date(Date.now() + 60_000) });
    expect(resolveTenant(key, facts({ candidates: shared, tag: tagFor(b) }))).toMatchObject({ kind: 'resolved', companyId: b, evidence: 'tag' });
    // A valid tag of a company whose credential did not authenticate the request is ignored.
    expect(resolveTenant(key, facts({ tag: tagFor(c) }))).toMatchObject({ kind: 'resolved', companyId: a, evidence: 'provider_account', tagRejected: true });
  });

  it('never lets a number registered by a non-candidate decide, whatever it matches', () => {
    const matches = [entry(c, '+13125550100', 'from'), entry(c, '+13125550200', 'to')];
    expect(resolveTenant(key, facts({ numberMatches: matches, from: '+13125550100', to: '+13125550200' }))).toMatchObject({
      companyId: a,
      evidence: 'provider_account',
    });
    expect(resolveTenant(key, facts({ candidates: shared, numberMatches: matches, from: '+13125550100', to: '+13125550200' }))).toMatchObject({
      kind: 'quarantined',
    });
  });

  it('reads numbers from first, then the forwarding line, then the number called', () => {
    const matches = [entry(a, '+13125550300', 'to'), entry(b, '+13125550301', 'to'), entry(b, '+13125550302', 'from')];
    const numbers = { from: '+13125550302', forwardedFrom: '+13125550300', to: '+13125550301' };
    expect(numberMatchFor(matches, numbers, shared.companyIds)?.company_id).toBe(b);
    expect(numberMatchFor(matches, { ...numbers, from: '+19999999999' }, shared.companyIds)?.company_id).toBe(a);
    expect(numberMatchFor(matches, { from: null, to: '+13125550301' }, shared.companyIds)?.company_id).toBe(b);
    expect(registryLookupOf(numbers)).toEqual([
      { e164: '+13125550302', matchOn: 'from' },
      { e164: '+13125550300', matchOn: 'to' },
      { e164: '+13125550301', matchOn: 'to' },
    ]);
  });

  it('on a shared account uses a known call, and otherwise quarantines: the account alone names nobody', () => {
    expect(resolveTenant(key, facts({ candidates: shared, existingCall: { companyId: b, ownerUserId: null } }))).toMatchObject({
      companyId: b,
      evidence: 'existing_call',
    });
    expect(resolveTenant(key, facts({ candidates: shared, existingCall: { companyId: c, ownerUserId: null } }))).toMatchObject({ kind: 'quarantined' });
    expect(resolveTenant(key, facts({ candidates: candidatesOf([{ company_id: a, shared: true }]) }))).toMatchObject({ kind: 'quarantined' });
    expect(resolveTenant(key, facts({ candidates: candidatesOf([]) }))).toMatchObject({ kind: 'quarantined', reason: 'no company holds the account any more' });
  });
});
