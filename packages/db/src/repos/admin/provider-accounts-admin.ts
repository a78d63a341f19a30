import type { CompanyTx } from '../../client';
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
