import type { Db, CompanyTx, PlatformTx } from './client';
import { withCompany, withPlatform } from './client';

/**
 * What a caller may read, computed once per request and passed to every query.
 * - company: one company; `ownerUserIds` narrows to those owners (agent: self; manager: self + reports),
 *   null means the whole company (company_admin).
 * - platform: a superadmin; `companyId` narrows to one company when given.
 */
export type ReadScope = { kind: 'company'; companyId: string; ownerUserIds: readonly string[] | null } | { kind: 'platform'; companyId: string | null };

export type ScopedTx = CompanyTx | PlatformTx;

/** The transaction matching a scope: RLS then agrees with the code's own filters. */
export async function withReadScope<T>(db: Db, scope: ReadScope, work: (tx: ScopedTx) => Promise<T>): Promise<T> {
  if (scope.kind === 'company') return withCompany(db, scope.companyId, work);
  if (scope.companyId) return withCompany(db, scope.companyId, work);
  return withPlatform(db, work);
}
