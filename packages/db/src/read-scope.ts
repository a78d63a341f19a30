import type { Db, CompanyTx, PlatformTx, TxOptions } from './client';
import { withCompany, withPlatform } from './client';

/**
 * What a caller may read, computed once per request and passed to every query.
 * - company: one company; `ownerUserIds` narrows to those owners (agent: self; manager: self + reports),
 *   null means the whole company (company_admin).
 * - platform: a superadmin; `companyId` narrows to one company when given.
 */
export type ReadScope = { kind: 'company'; companyId: string; ownerUserIds: readonly string[] | null } | { kind: 'platform'; companyId: string | null };

export type ScopedTx = CompanyTx | PlatformTx;

/**
 * A transaction opened for a read scope, carrying it: the queries of a repository filter by
 * `tx.readScope`, and row-level security by the same scope, so the two cannot disagree.
 */
export type ReadTx = ScopedTx & { readonly readScope: ReadScope };

/** The transaction matching a scope: RLS then agrees with the code's own filters. */
export async function withReadScope<T>(db: Db, scope: ReadScope, work: (tx: ReadTx) => Promise<T>, options: TxOptions = {}): Promise<T> {
  const readScope: ReadScope = Object.freeze(
    scope.kind === 'company' && scope.ownerUserIds ? { ...scope, ownerUserIds: Object.freeze([...scope.ownerUserIds]) } : { ...scope },
  );
  // Each transaction object is new (see `scoped` in client.ts): the scope is attached to this one only.
  const carrying = (tx: ScopedTx) => work(withScopeAttached(tx, readScope));
  if (scope.kind === 'company') return withCompany(db, scope.companyId, carrying, options);
  if (scope.companyId) return withCompany(db, scope.companyId, carrying, options);
  return withPlatform(db, carrying, options);
}

/**
 * A company transaction read as its whole company (a company admin's scope), for work already in
 * `withCompany` that reads through a scoped repository: the read scope is derived from the
 * transaction's own company, so it cannot name another.
 */
export function companyWideRead(tx: CompanyTx): CompanyTx & ReadTx {
  return withScopeAttached(tx, Object.freeze({ kind: 'company', companyId: tx.scope.companyId, ownerUserIds: null }));
}

/**
 * Attaches a read scope to a transaction once, for good: it cannot be reassigned, and a
 * transaction that already carries one (an agent's, a manager's) refuses another, so no helper
 * can widen the scope of the transaction it was handed.
 */
function withScopeAttached<Tx extends ScopedTx>(tx: Tx, readScope: ReadScope): Tx & ReadTx {
  if ('readScope' in tx) throw new Error('this transaction already carries a read scope');
  return Object.defineProperty(tx, 'readScope', { value: readScope, writable: false, configurable: false, enumerable: true }) as Tx & ReadTx;
}
