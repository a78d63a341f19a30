import { getCompany, type CompanyTx, type ReadScope, type ScopedTx } from '@callvault/db';
import { NotFoundError } from './errors';
import { scopeOf, type Principal } from './principal';

/**
 * The scope of a request that may name a company (lists, stats, search). A superadmin may narrow to one company; anyone else may only name their
 * own (another company is outside their scope: 404, like everything else out of scope).
 */
export function listScopeOf(principal: Principal, companyId: string | undefined): ReadScope {
  if (principal.kind === 'user' && companyId && companyId !== principal.user.company_id) throw new NotFoundError('company not found');
  return scopeOf(principal, principal.kind === 'superadmin' ? companyId : undefined);
}

/** 404 for a superadmin naming a company that does not exist (before its audit event would fail). */
export async function requireNamedCompany(tx: ScopedTx, principal: Principal): Promise<void> {
  if (principal.kind === 'superadmin' && tx.scope.kind === 'company' && !(await getCompany(tx as CompanyTx))) throw new NotFoundError('company not found');
}

