import type { ScopedTx } from './read-scope';

/**
 * In a company transaction, every company a repository is handed (a row's `company_id`, an
 * event's company, a job's) must be the transaction's own: refused here, before row-level security
 * would hide or refuse the row. A platform transaction may name any company.
 */
export function assertOwnCompany(tx: ScopedTx, companyIds: Iterable<string>, what: string): void {
  if (tx.scope.kind !== 'company') return;
  for (const companyId of companyIds) {
    if (companyId !== tx.scope.companyId) throw new Error(`${what}: company ${companyId} named in company ${tx.scope.companyId}'s transaction`);
  }
}
