import { LRUCache } from 'lru-cache';
import { CLOCK_TOLERANCE_SECONDS, type TokenVerifier, type VerifiedToken } from './token-verifier';

export interface VerifiedTokenCacheOptions {
  /** The longest a verification is reused; a token's own expiry ends it sooner. */
  ttlSeconds: number;
  /** Tokens kept (the least recently used go first); they are at most 4 KB each. */
  maxEntries?: number;
}

/**
 * Remembers the tokens `verify` accepted, by their whole text, so that the next request with
 * the same token (every request of a signed-in browser or integration) skips the signature check:
 * HS256 through WebCrypto costs about 85 µs and a hop to the thread pool (measured on the bench
 * machine), most of what authentication costs once the principal is cached.
 * - The key is the entire token: a token differing in any byte is a different key, so the cache
 *   never vouches for a token it did not verify; only accepted tokens are kept.
 * - Expiry stays exact: a remembered token is checked against its `exp` on every use, with the
 *   verifier's tolerance, and refused by the verifier itself once past it.
 * - The bound: a token signed with a key the identity provider has since withdrawn passes for up
 *   to `ttlSeconds` more; jose's key set already keeps fetched keys for up to 10 minutes.
 */
export function withVerifiedTokenCache(verify: TokenVerifier, options: VerifiedTokenCacheOptions): TokenVerifier {
  const ttl = options.ttlSeconds * 1000;
  if (ttl <= 0) return verify;
  const verified = new LRUCache<string, VerifiedToken>({ max: options.maxEntries ?? 10_000, ttl, ttlAutopurge: false });
  const usableUntil = (token: VerifiedToken) => ((token.claims.exp ?? 0) + CLOCK_TOLERANCE_SECONDS) * 1000;
  return async (token) => {
    const known = verified.get(token);
    if (known && Date.now() <= usableUntil(known)) return known;
    if (known) verified.delete(token);
    const accepted = await verify(token);
    // A token without `exp` (the verifier refuses those) would have no time left: never kept.
    const left = usableUntil(accepted) - Date.now();
    if (left > 0) verified.set(token, accepted, { ttl: Math.min(ttl, left) });
    return accepted;
  };
}
