import { createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Every token callvault signs, each with a key of its own. A signature made for one purpose never
 * verifies for another, whatever the payload: a cursor can never pass as a tenant tag.
 */
export type SigningPurpose = 'tenant-tag' | 'cursor' | 'admin-session' | 'media-url';

export interface Signer {
  /** HMAC-SHA256 of `data` under the purpose's key, base64url. */
  sign(data: string): string;
  /** Constant-time check; also accepts the signature the purpose used before keys were derived by HKDF. */
  verify(data: string, signature: string): boolean;
}

/** The purpose's key: HKDF-SHA256 of the root key (TAG_SIGNING_KEY), salted, with the purpose as info. */
function derivedKey(rootKey: string, purpose: SigningPurpose): KeyObject {
  // A KeyObject, made once: given the bytes, every HMAC would import the key again (10 µs against 1.6 µs).
  return createSecretKey(Buffer.from(hkdfSync('sha256', rootKey, 'callvault signer', `callvault/${purpose}/v1`, 32)));
}

const hmac = (key: string | Buffer | KeyObject, data: string) => createHmac('sha256', key).update(data).digest('base64url');

/**
 * How each purpose signed before this signer existed. Tenant tags ride on provider callback URLs
 * and in VAPI assistant overrides for up to two days past their expiry, so their old form must keep
 * verifying; the others live an hour at most and are accepted for the same window. Remove an entry
 * once every token signed the old way has expired (a release after 2027-01-01 may drop them all).
 */
const LEGACY: Record<SigningPurpose, (rootKey: string, data: string) => string> = {
  'tenant-tag': (rootKey, data) => hmac(rootKey, `cvtag.${data}`),
  cursor: (rootKey, data) => hmac(`cursor:${rootKey}`, `cursor.${data}`),
  'admin-session': (rootKey, data) => hmac(createHmac('sha256', rootKey).update('callvault admin session v1').digest(), data),
  'media-url': (rootKey, data) => hmac(createHmac('sha256', rootKey).update('callvault media url v2').digest(), data),
};

function sameText(given: string, expected: string): boolean {
  // Compared as text: a base64 decoder would ignore stray characters in a tampered signature.
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function signer(rootKey: string, purpose: SigningPurpose): Signer {
  if (!rootKey) throw new Error(`signer(${purpose}) needs a root key`);
  const key = derivedKey(rootKey, purpose);
  return {
    sign: (data) => hmac(key, data),
    verify: (data, signature) => sameText(signature, hmac(key, data)) || sameText(signature, LEGACY[purpose](rootKey, data)),
  };
}
