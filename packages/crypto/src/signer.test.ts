import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signer, type SigningPurpose } from './signer';
import { signTenantTag, verifyTenantTag } from './tenant-tag';

const ROOT = 'r'.repeat(48);
const PURPOSES: SigningPurpose[] = ['tenant-tag', 'cursor', 'admin-session', 'media-url'];

describe('signer(purpose)', () => {
  it('verifies its own signatures and refuses a changed payload, a changed signature or another root key', () => {
    const tags = signer(ROOT, 'tenant-tag');
    const signature = tags.sign('payload');
    expect(tags.verify('payload', signature)).toBe(true);
    expect(tags.verify('payloaD', signature)).toBe(false);
    expect(tags.verify('payload', `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(tags.verify('payload', `${signature}=`)).toBe(false);
    expect(signer(`${ROOT}x`, 'tenant-tag').verify('payload', signature)).toBe(false);
  });

  it('keeps purposes apart: no signature made for one verifies for another', () => {
    for (const made of PURPOSES) {
      const signature = signer(ROOT, made).sign('the same payload');
      for (const checked of PURPOSES) expect(signer(ROOT, checked).verify('the same payload', signature), `${made} as ${checked}`).toBe(made === checked);
    }
  });

  it('derives each key with HKDF: the signature is not an HMAC under the root key itself', () => {
    const signature = signer(ROOT, 'cursor').sign('x');
    expect(signature).not.toBe(createHmac('sha256', ROOT).update('x').digest('base64url'));
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('still accepts the tokens signed before it (a tenant tag on a callback URL of a call in progress)', () => {
    const legacyTag = (payload: string) => `${payload}.${createHmac('sha256', ROOT).update(`cvtag.${payload}`).digest('base64url')}`;
    const payload = ['cv1', '7d8e0a52-4c1b-4b8e-9a39-5f8f0c1d2e3f', '0', Math.floor(Date.now() / 1000) + 600].join('.');
    expect(verifyTenantTag(ROOT, legacyTag(payload))).toMatchObject({ ok: true });
    const legacyCursor = createHmac('sha256', `cursor:${ROOT}`).update('cursor.abc').digest('base64url');
    expect(signer(ROOT, 'cursor').verify('abc', legacyCursor)).toBe(true);
    // A legacy signature of one purpose is no more accepted by another than a new one.
    expect(signer(ROOT, 'media-url').verify('abc', legacyCursor)).toBe(false);
  });

  it('signs tenant tags the new way', () => {
    const tag = signTenantTag(ROOT, { companyId: '7d8e0a52-4c1b-4b8e-9a39-5f8f0c1d2e3f', ownerUserId: null, expiresAt: new Date(Date.now() + 60_000) });
    const [payload, signature] = [tag.slice(0, tag.lastIndexOf('.')), tag.slice(tag.lastIndexOf('.') + 1)];
    expect(signature).toBe(signer(ROOT, 'tenant-tag').sign(payload));
    expect(verifyTenantTag(ROOT, tag)).toMatchObject({ ok: true });
  });
});
