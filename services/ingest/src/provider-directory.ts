import type { SecretBox } from '@callvault/crypto';
import { findAccountsByExternalId, openProviderSecrets, withPlatform, type Db, type Provider, type ProviderAccount, type ProviderSecrets } from '@callvault/db';

export interface RegisteredAccount {
  account: ProviderAccount;
  secrets: ProviderSecrets;
}

export interface ProviderDirectory {
  /** Companies' registrations of a Twilio AccountSid / VAPI orgId, with decrypted secrets. */
  lookup(provider: Provider, externalId: string, options?: { fresh?: boolean }): Promise<RegisteredAccount[]>;
}

/**
 * Credentials are read from the database and kept briefly: a webhook burst does not hit Postgres
 * for every signature, and a failed check re-reads once, so a rotated token works at once.
 */
export function createProviderDirectory(db: Db, box: SecretBox, ttlMs = 15_000): ProviderDirectory {
  const cache = new Map<string, { at: number; accounts: RegisteredAccount[] }>();
  return {
    async lookup(provider, externalId, options = {}) {
      const key = `${provider}:${externalId}`;
      const hit = cache.get(key);
      if (hit && !options.fresh && Date.now() - hit.at < ttlMs) return hit.accounts;
      const rows = await withPlatform(db, (tx) => findAccountsByExternalId(tx, provider, externalId));
      const accounts = rows.map((account) => ({ account, secrets: openProviderSecrets(box, account) }));
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { at: Date.now(), accounts });
      return accounts;
    },
  };
}
