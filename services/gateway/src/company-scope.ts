import { getCompany, type CompanyTx, type ReadScope, type ScopedTx } from '@callvault/db';
import { CompanyRequiredError, ForbiddenError, NotFoundError } from './errors';
import { scopeOf, type Principal } from './principal';

/**
 * The company a request names (`companyId` in its query or body), checked once for every route:
 * a superadmin may name any company (undefined: none named); a company user may name only their
 * own, and gets their own when naming none. Another company is outside their scope: 404, like
 * everything else out of scope.
 */
export function namedCompanyOf(principal: Principal, companyId: string | undefined): string | undefined {
  if (principal.kind === 'superadmin') return companyId;
  if (companyId && companyId !== principal.user.company_id) throw new NotFoundError('company not found');
  return principal.user.company_id;
}

/** The scope of a request that may name a company (lists, stats, search): a superadmin may narrow to one. */
export function listScopeOf(principal: Principal, companyId: string | undefined): ReadScope {
  const named = namedCompanyOf(principal, companyId);
  return scopeOf(principal, principal.kind === 'superadmin' ? named : undefined);
}

/** 404 for a superadmin naming a company that does not exist (before its audit event would fail). */
export async function requireNamedCompany(tx: ScopedTx, principal: Principal): Promise<void> {
  if (principal.kind === 'superadmin' && tx.scope.kind === 'company' && !(await getCompany(tx as CompanyTx))) throw new NotFoundError('company not found');
}

/** company_admin → its own company; superadmin → the company it names; anyone else → 403. */
export function adminCompanyOf(principal: Principal, requestedCompanyId: string | undefined): string {
  if (principal.kind === 'user' && principal.user.role !== 'company_admin') throw new ForbiddenError('this action needs the company_admin role');
  const companyId = namedCompanyOf(principal, requestedCompanyId);
  if (!companyId) throw new CompanyRequiredError();
  return companyId;
}
