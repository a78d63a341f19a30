import { LRUCache } from 'lru-cache';
import { CLOCK_TOLERANCE_SECONDS, type TokenVerifier, type VerifiedToken } from './token-verifier';

export interface VerifiedTokenCacheOptions {
  /** The longest a verification is reused; a token's own expiry ends it sooner. */
  ttlSeconds: number;
  /** Tokens kept (the least recently used go first). */
  maxEntries?: number;
}

/** Longer tokens are verified every time: the API's Bearer tokens are at most this long. */
const LONGEST_KEPT = 4096;
/** Characters of tokens kept in all (about 8 MB), whatever their count. */
const KEPT_CHARACTERS = 8_000_000;

/**
 * Remembers the tokens `verify` accepted, by their whole text, so that the next request with
 * the same token (every request of a signed-in browser or integration) skips the signature check:
 * HS256 through WebCrypto costs about 85 µs and a hop to the thread pool (measured on the bench
 * machine), most of what authentication costs once the principal is cached.
 * - The key is the entire token: a token differing in any byte is a different key, so the cache
 *   never vouches for a token it did not verify; only accepted tokens are kept.
 * - Expiry stays exact: a remembered token is checked against its `exp` on every use, with the
 *   verifier's tolerance, and refused by the verifier itself once past it.
 * - It answers the subject and `exp` only, frozen, on a first use as on a remembered one: all
 *   that its callers read; a caller needing other claims uses the verifier itself.
 * - The bound: a token signed with a key the identity provider has since withdrawn passes for up
 *   to `ttlSeconds` after jose's key set stops holding that key (it keeps fetched keys up to 10 minutes).
 */
export function withVerifiedTokenCache(verify: TokenVerifier, options: VerifiedTokenCacheOptions): TokenVerifier {
  const ttl = options.ttlSeconds * 1000;
  if (ttl <= 0) return verify;
  const verified = new LRUCache<string, VerifiedToken>({
    max: options.maxEntries ?? 10_000,
    maxSize: KEPT_CHARACTERS,
    sizeCalculation: (_value, token) => token.length,
    ttl,
    ttlAutopurge: false,
  });
  // jose refuses a token once `exp` <= now - tolerance (in seconds).
  const usableUntil = (token: VerifiedToken) => ((token.claims.exp ?? 0) + CLOCK_TOLERANCE_SECONDS) * 1000;
  return async (token) => {
    const known = verified.get(token);
    if (known && Date.now() < usableUntil(known)) return known;
    if (known) verified.delete(token);
    const accepted = await verify(token);
    const kept: VerifiedToken = Object.freeze({ subject: accepted.subject, claims: Object.freeze({ exp: accepted.claims.exp }) });
    // A token without `exp` (the verifier refuses those) is never usable here, so never kept.
    const left = usableUntil(kept) - Date.now();
    if (token.length <= LONGEST_KEPT && left > 0) verified.set(token, kept, { ttl: Math.min(ttl, left) });
    return kept;
  };
}
