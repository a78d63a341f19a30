import { randomUUID } from 'node:crypto';
import type { SecretBox } from '@callvault/crypto';
import type { CompanyTx, PlatformTx } from '../client';
import type { Provider, ProviderAccount } from '../schema';

export interface TwilioSecrets {
  authToken: string;
  apiKeySid?: string;
  apiKeySecret?: string;
}

export interface VapiSecrets {
  apiKey?: string;
  webhookSecret?: string;
  webhookHmacKey?: string;
}

export type ProviderSecrets = TwilioSecrets | VapiSecrets;

type SealedAccount = Pick<ProviderAccount, 'id' | 'company_id' | 'provider' | 'external_id'>;

/**
 * The ciphertext is bound to the row, its company, provider and account id: copied onto another
 * row, or left behind when a row's company or account id is edited in the database, it does not
 * open. Seals made before this binding (bound to the row id alone) carry no marker and still
 * open; `reencryptProviderSecrets` rewrites them.
 */
const BOUND = 'b2:';
const boundAssociatedData = (account: SealedAccount) => `provider_accounts:v2:${account.id}:${account.company_id}:${account.provider}:${account.external_id}`;
const legacyAssociatedData = (accountId: string) => `provider_accounts:${accountId}`;

function sealFor(box: SecretBox, account: SealedAccount, secrets: ProviderSecrets): string {
  return `${BOUND}${box.seal(JSON.stringify(secrets), boundAssociatedData(account))}`;
}

/** Whether a row's secrets still use the pre-binding seal (the re-encrypt pass rewrites those). */
export function hasLegacySeal(account: Pick<ProviderAccount, 'secrets_sealed'>): boolean {
  return !account.secrets_sealed.startsWith(BOUND);
}

export interface ProviderAccountInput {
  provider: Provider;
  externalId: string;
  secrets: ProviderSecrets;
  settings?: Record<string, unknown>;
  /** Registered for several companies by a superadmin. Omitted: unchanged (false on a new row). */
  shared?: boolean;
  /** The provider just confirmed these credentials own the account: records when. Omitted: unchanged. */
  proven?: true;
}

export async function upsertProviderAccount(tx: CompanyTx, box: SecretBox, input: ProviderAccountInput): Promise<ProviderAccount> {
  const existing = await tx
    .selectFrom('provider_accounts')
    .select('id')
    .where('company_id', '=', tx.scope.companyId)
    .where('provider', '=', input.provider)
    .executeTakeFirst();
  const id = existing?.id ?? randomUUID();
  const sealed = sealFor(box, { id, company_id: tx.scope.companyId, provider: input.provider, external_id: input.externalId }, input.secrets);
  const settings = JSON.stringify(input.settings ?? {});
  const flags = { ...(input.shared !== undefined ? { shared: input.shared } : {}), ...(input.proven ? { proven_at: new Date() } : {}) };
  if (existing) {
    return tx
      .updateTable('provider_accounts')
      .set({ external_id: input.externalId, secrets_sealed: sealed, settings, ...flags, updated_at: new Date() })
      .where('id', '=', id)
      .where('company_id', '=', tx.scope.companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  return tx
    .insertInto('provider_accounts')
    .values({ id, company_id: tx.scope.companyId, provider: input.provider, external_id: input.externalId, secrets_sealed: sealed, settings, ...flags })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function openProviderSecrets<T extends ProviderSecrets>(box: SecretBox, account: SealedAccount & Pick<ProviderAccount, 'secrets_sealed'>): T {
  const sealed = account.secrets_sealed;
  const plaintext = sealed.startsWith(BOUND)
    ? box.open(sealed.slice(BOUND.length), boundAssociatedData(account))
    : box.open(sealed, legacyAssociatedData(account.id));
  return JSON.parse(plaintext) as T;
}

/**
 * Whether another company registered this account, and whether every such registration is
 * shared. Covers registrations older than the ownership proof too, which the unique index
 * (proven rows only) does not.
 */
export async function findRegistrationsElsewhere(
  tx: PlatformTx,
  provider: Provider,
  externalId: string,
  companyId: string,
): Promise<{ count: number; allShared: boolean }> {
  const rows = await tx
    .selectFrom('provider_accounts')
    .select('shared')
    .where('provider', '=', provider)
    .where('external_id', '=', externalId)
    .where('company_id', '<>', companyId)
    .execute();
  return { count: rows.length, allShared: rows.every((row) => row.shared) };
}

/** Every company that registered this AccountSid / orgId: ingest needs them before it knows the tenant. */
export async function findAccountsByExternalId(tx: PlatformTx, provider: Provider, externalId: string): Promise<ProviderAccount[]> {
  return tx.selectFrom('provider_accounts').selectAll().where('provider', '=', provider).where('external_id', '=', externalId).execute();
}

export async function getProviderAccount(tx: CompanyTx, provider: Provider): Promise<ProviderAccount | undefined> {
  return tx.selectFrom('provider_accounts').selectAll().where('company_id', '=', tx.scope.companyId).where('provider', '=', provider).executeTakeFirst();
}

export async function listProviderAccounts(tx: CompanyTx): Promise<ProviderAccount[]> {
  return tx.selectFrom('provider_accounts').selectAll().where('company_id', '=', tx.scope.companyId).orderBy('provider').execute();
}

export async function markProviderAccountSynced(tx: CompanyTx, accountId: string, syncedAt: Date): Promise<void> {
  await tx
    .updateTable('provider_accounts')
    .set({ last_synced_at: syncedAt })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', accountId)
    .execute();
}

/** Companies with any provider account: the scheduled sync visits each. */
export async function listCompaniesWithProviderAccounts(tx: PlatformTx): Promise<string[]> {
  const rows = await tx.selectFrom('provider_accounts').select('company_id').distinct().execute();
  return rows.map((row) => row.company_id);
}
