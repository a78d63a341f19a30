import { createHash, randomBytes } from 'node:crypto';

/** What every key starts with: recognisable in logs, secret scanners and a pasted header. */
export const API_KEY_PREFIX = 'cvk_';

/** A new key: 192 random bits after the prefix, URL- and header-safe. Shown once, never stored. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
}

/** What is stored and looked up: the key's SHA-256 (a key has full entropy, so no salt or slow hash is needed). */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What lists show to tell keys apart: the prefix and the first characters, never enough to use. */
export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}

export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}
