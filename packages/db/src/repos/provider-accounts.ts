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

/** The ciphertext is bound to the row id, so it cannot be copied onto another company's account. */
const associatedData = (accountId: string) => `provider_accounts:${accountId}`;

export async function upsertProviderAccount(
  tx: CompanyTx,
  box: SecretBox,
  input: { provider: Provider; externalId: string; secrets: ProviderSecrets; settings?: Record<string, unknown> },
): Promise<ProviderAccount> {
  const existing = await tx
    .selectFrom('provider_accounts')
    .select('id')
    .where('company_id', '=', tx.scope.companyId)
    .where('provider', '=', input.provider)
    .executeTakeFirst();
  const id = existing?.id ?? randomUUID();
  const sealed = box.seal(JSON.stringify(input.secrets), associatedData(id));
  const settings = JSON.stringify(input.settings ?? {});
  if (existing) {
    return tx
      .updateTable('provider_accounts')
      .set({ external_id: input.externalId, secrets_sealed: sealed, settings, updated_at: new Date() })
      .where('id', '=', id)
      .where('company_id', '=', tx.scope.companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  return tx
    .insertInto('provider_accounts')
    .values({ id, company_id: tx.scope.companyId, provider: input.provider, external_id: input.externalId, secrets_sealed: sealed, settings })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function openProviderSecrets<T extends ProviderSecrets>(box: SecretBox, account: Pick<ProviderAccount, 'id' | 'secrets_sealed'>): T {
  return JSON.parse(box.open(account.secrets_sealed, associatedData(account.id))) as T;
}

/** Every company that registered this AccountSid / orgId: ingest needs them before it knows the tenant. */
export async function findAccountsByExternalId(tx: PlatformTx, provider: Provider, externalId: string): Promise<ProviderAccount[]> {
  return tx.selectFrom('provider_accounts').selectAll().where('provider', '=', provider).where('external_id', '=', externalId).execute();
}

export async function getProviderAccount(tx: CompanyTx, provider: Provider): Promise<ProviderAccount | undefined> {
  return tx
    .selectFrom('provider_accounts')
    .selectAll()
    .where('company_id', '=', tx.scope.companyId)
    .where('provider', '=', provider)
    .executeTakeFirst();
}

export async function listProviderAccounts(tx: CompanyTx): Promise<ProviderAccount[]> {
  return tx.selectFrom('provider_accounts').selectAll().where('company_id', '=', tx.scope.companyId).orderBy('provider').execute();
}

export async function markProviderAccountSynced(tx: CompanyTx, accountId: string, syncedAt: Date): Promise<void> {
  await tx.updateTable('provider_accounts').set({ last_synced_at: syncedAt }).where('company_id', '=', tx.scope.companyId).where('id', '=', accountId).execute();
}

/** Companies with any provider account: the scheduled sync visits each. */
export async function listCompaniesWithProviderAccounts(tx: PlatformTx): Promise<string[]> {
  const rows = await tx.selectFrom('provider_accounts').select('company_id').distinct().execute();
  return rows.map((row) => row.company_id);
}
