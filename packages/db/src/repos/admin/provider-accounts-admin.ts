import type { CompanyTx, PlatformTx } from '../../client';
import type { Provider, ProviderAccount } from '../../schema';

/**
 * The company's account for a provider, locked until the transaction ends: a settings change
 * reads the stored secrets, merges the new ones and writes back without losing a concurrent change.
 */
export async function lockProviderAccount(tx: CompanyTx, provider: Provider): Promise<ProviderAccount | undefined> {
  return tx
    .selectFrom('provider_accounts')
    .selectAll()
    .where('company_id', '=', tx.scope.companyId)
    .where('provider', '=', provider)
    .forUpdate()
    .executeTakeFirst();
}

/** Every registration of every company: the platform's ownership check walks them all. */
export async function listAllProviderAccounts(tx: PlatformTx): Promise<ProviderAccount[]> {
  return tx.selectFrom('provider_accounts').selectAll().orderBy('provider').orderBy('external_id').orderBy('created_at').execute();
}

/** The provider confirmed this registration's credentials just now. */
export async function markProviderAccountProven(tx: CompanyTx, accountId: string): Promise<void> {
  await tx.updateTable('provider_accounts').set({ proven_at: new Date() }).where('company_id', '=', tx.scope.companyId).where('id', '=', accountId).execute();
}

/** Removes a registration: the company's events of that account are no longer authenticated by it. */
export async function detachProviderAccount(tx: CompanyTx, accountId: string): Promise<boolean> {
  const deleted = await tx
    .deleteFrom('provider_accounts')
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', accountId)
    .returning('id')
    .executeTakeFirst();
  return deleted !== undefined;
}
