import type { FastifyInstance } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Principal } from './principal';
import { isReadMethod } from './read-methods';

/**
 * The principals this replica authenticated in the last few seconds, keyed by token subject or
 * API key hash, so a request does not read its user, role and reports again. Only successes are
 * kept: a refused caller is read again every time, so re-enabling a user applies at once.
 *
 * The bound: a change made through this replica's API (users, API keys, companies) clears the
 * cache before its answer leaves, so it applies to this replica's next request; a change made
 * elsewhere (another replica, the CLI, SQL) applies within `ttlSeconds`.
 */
export interface PrincipalCache {
  get(key: string): Principal | undefined;
  /** `notAfter`: the moment the principal stops being valid anyway (an API key's expiry). */
  set(key: string, principal: Principal, notAfter?: Date | null): void;
  clear(): void;
}

export function createPrincipalCache(ttlSeconds: number): PrincipalCache {
  if (ttlSeconds <= 0) return { get: () => undefined, set: () => undefined, clear: () => undefined };
  const ttl = ttlSeconds * 1000;
  // Enough for every active caller of a busy replica; a miss only costs the reads it saves.
  const cache = new LRUCache<string, Principal>({ max: 10_000, ttl, ttlAutopurge: false });
  return {
    get: (key) => cache.get(key),
    set(key, principal, notAfter) {
      const left = notAfter ? notAfter.getTime() - Date.now() : ttl;
      if (left > 0) cache.set(key, principal, { ttl: Math.min(ttl, left) });
    },
    clear: () => cache.clear(),
  };
}

/** Routes whose writes can change who a caller is or what they see: users, API keys, companies. */
const PRINCIPAL_WRITES = /^\/v1\/(users|api-keys|companies)(\/|$)/;

/** Clears the cache when a write to a principal's records is answered, before the answer leaves. */
export function invalidatePrincipalsOnWrites(v1: FastifyInstance, cache: PrincipalCache): void {
  v1.addHook('onSend', async (request, _reply, payload) => {
    if (!isReadMethod(request.method) && PRINCIPAL_WRITES.test(request.routeOptions.url ?? '')) cache.clear();
    return payload;
  });
}
