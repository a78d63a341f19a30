import { LRUCache } from 'lru-cache';
import type { Counter } from 'prom-client';
import type { SecretBox } from '@callvault/crypto';
import { findAccountsByExternalId, openProviderSecrets, withPlatform, type Db, type Provider, type ProviderAccount, type ProviderSecrets } from '@callvault/db';

export interface RegisteredAccount {
  account: ProviderAccount;
  secrets: ProviderSecrets;
}

/** A failed check re-reads an account's credentials at most this often: a rotated token works within it. */
export const REFRESH_FLOOR_MS = 1_000;

export interface ProviderDirectory {
  /**
   * Companies' registrations of a Twilio AccountSid / VAPI orgId, with decrypted secrets; an
   * empty list for an account nobody registered. `fresh` asks for a re-read (a check failed: the
   * token may have been rotated a moment ago), granted at most once per `refreshFloorMs`.
   */
  lookup(provider: Provider, externalId: string, options?: { fresh?: boolean }): Promise<RegisteredAccount[]>;
}

/**
 * Credentials are read from the database and kept briefly, unknown accounts included (negative
 * caching): neither a webhook burst nor a flood of forged requests, for a known account or an
 * unknown one, makes a database read per request. Concurrent misses share one read.
 */
export function createProviderDirectory(
  db: Db,
  box: SecretBox,
  options: { ttlMs?: number; refreshFloorMs?: number; reads?: Counter<'provider'> } = {},
): ProviderDirectory {
  const ttlMs = options.ttlMs ?? 15_000;
  const refreshFloorMs = options.refreshFloorMs ?? REFRESH_FLOOR_MS;
  const loadedAt = new Map<string, number>();
  const cache = new LRUCache<string, RegisteredAccount[]>({
    max: 10_000,
    ttl: ttlMs,
    fetchMethod: async (key) => {
      const separator = key.indexOf(':');
      const provider = key.slice(0, separator) as Provider;
      options.reads?.inc({ provider });
      const rows = await withPlatform(db, (tx) => findAccountsByExternalId(tx, provider, key.slice(separator + 1)));
      loadedAt.set(key, Date.now());
      return rows.map((account) => ({ account, secrets: openProviderSecrets(box, account) }));
    },
    dispose: (_value, key, reason) => {
      if (reason !== 'set') loadedAt.delete(key);
    },
  });
  return {
    async lookup(provider, externalId, lookupOptions = {}) {
      const key = `${provider}:${externalId}`;
      const age = Date.now() - (loadedAt.get(key) ?? 0);
      const accounts = await cache.fetch(key, { forceRefresh: lookupOptions.fresh === true && age >= refreshFloorMs });
      return accounts ?? [];
    },
  };
}
