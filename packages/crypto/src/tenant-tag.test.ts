import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTenantTag, TAG_CALLBACK_GRACE_SECONDS, verifyTenantTag } from './tenant-tag';

const key = 'k'.repeat(40);
const tag = { companyId: randomUUID(), ownerUserId: randomUUID(), expiresAt: new Date(Date.now() + 3600_000) };

describe('tenant tags', () => {
  it('verifies what it signed', () => {
    expect(verifyTenantTag(key, signTenantTag(key, tag))).toMatchObject({ ok: true, tag: { companyId: tag.companyId, ownerUserId: tag.ownerUserId } });
    expect(verifyTenantTag(key, signTenantTag(key, { ...tag, ownerUserId: null }))).toMatchObject({ ok: true, tag: { ownerUserId: null } });
  });

  it('rejects any single changed character, another key, and malformed input', () => {
    const signed = signTenantTag(key, tag);
    for (let index = 0; index < signed.length; index += 7) {
      const altered = signed.slice(0, index) + (signed[index] === 'a' ? 'b' : 'a') + signed.slice(index + 1);
      expect(verifyTenantTag(key, altered).ok).toBe(false);
    }
    expect(verifyTenantTag('x'.repeat(40), signed)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyTenantTag(key, 'cv1.not-a-uuid.0.1.x')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyTenantTag(key, '')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('expires after its grace period for late callbacks', () => {
    const signed = signTenantTag(key, { ...tag, expiresAt: new Date(Date.now() - 1000) });
    expect(verifyTenantTag(key, signed).ok).toBe(true);
    expect(verifyTenantTag(key, signed, new Date(Date.now() + TAG_CALLBACK_GRACE_SECONDS * 1000 + 5000))).toEqual({ ok: false, reason: 'expired' });
  });
});
