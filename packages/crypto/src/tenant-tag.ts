import { signer } from './signer';

/**
 * Our own signed tenant tag: `cv1.<companyId>.<ownerUserId|0>.<expiresAtEpochSeconds>.<hmac>`.
 * It rides on Twilio callback URLs (covered by Twilio's signature) and in VAPI
 * assistantOverrides.metadata, and is the strongest evidence of a call's tenant.
 */
export interface TenantTag {
  companyId: string;
  ownerUserId: string | null;
  expiresAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Callbacks of a call started just before expiry still arrive afterwards (long calls, late reports). */
export const TAG_CALLBACK_GRACE_SECONDS = 2 * 24 * 3600;

export function signTenantTag(key: string, tag: TenantTag): string {
  const payload = ['cv1', tag.companyId, tag.ownerUserId ?? '0', Math.floor(tag.expiresAt.getTime() / 1000)].join('.');
  return `${payload}.${signer(key, 'tenant-tag').sign(payload)}`;
}

export type TagVerification = { ok: true; tag: TenantTag } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export function verifyTenantTag(key: string, value: string, now = new Date()): TagVerification {
  const parts = value.split('.');
  if (parts.length !== 5 || parts[0] !== 'cv1') return { ok: false, reason: 'malformed' };
  const [, companyId, owner, expires, signature] = parts as [string, string, string, string, string];
  if (!UUID.test(companyId) || (owner !== '0' && !UUID.test(owner)) || !/^\d{1,12}$/.test(expires)) {
    return { ok: false, reason: 'malformed' };
  }
  if (!signer(key, 'tenant-tag').verify(parts.slice(0, 4).join('.'), signature)) return { ok: false, reason: 'bad_signature' };
  const expiresAt = new Date(Number(expires) * 1000);
  if (now.getTime() > expiresAt.getTime() + TAG_CALLBACK_GRACE_SECONDS * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, tag: { companyId, ownerUserId: owner === '0' ? null : owner, expiresAt } };
}
