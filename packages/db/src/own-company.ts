import { sql, type Expression, type SqlBool } from 'kysely';
import type { ScopedTx } from './read-scope';

/**
 * In a company transaction, every company a repository is handed (rows, by their `company_id`, or
 * company ids: an event's company, a job's) must be the transaction's own: refused here, before
 * row-level security would hide or refuse the row. A platform transaction may name any company.
 */
export function assertOwnCompany(tx: ScopedTx, named: Iterable<string | { readonly company_id: string }>, what: string): void {
  if (tx.scope.kind !== 'company') return;
  for (const entry of named) {
    const companyId = typeof entry === 'string' ? entry : entry.company_id;
    if (companyId !== tx.scope.companyId) throw new Error(`${what}: company ${companyId} named in company ${tx.scope.companyId}'s transaction`);
  }
}

/**
 * The transaction's own company as a filter: in a company transaction, rows of `column` equal to
 * its company; in a platform transaction, every company's (the lifetime jobs, a superadmin without
 * a company). RLS backs this up; this is the code's own filter, written once.
 */
export function whereOwnCompany<Q extends { where(expression: Expression<SqlBool>): Q }>(query: Q, tx: ScopedTx, column = 'company_id'): Q {
  return tx.scope.kind === 'company' ? query.where(sql<SqlBool>`${sql.ref(column)} = ${tx.scope.companyId}::uuid`) : query;
}
