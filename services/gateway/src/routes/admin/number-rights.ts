import type { FastifyRequest } from 'fastify';
import { getCompanyUser } from '@callvault/db';
import { BadRequestError, ForbiddenError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { withAdminCompany } from './admin-access';
import { companyAccounts, proveNumberOwned } from './provider-proof';
import type { SecretBoxSource } from './secret-box-source';

/**
 * What a number must meet before it names a company in tenant resolution:
 * - a company on a shared provider account is told apart from the others by its numbers, so
 *   only the platform operator (superadmin) assigns them;
 * - a number that receives calls (`to`) must be the company's own at its provider, proven with
 *   the provider (a superadmin assigning numbers to a company without an account of its own, on
 *   a shared account say, is trusted).
 * The request's own mistakes (an owner from another company) are answered before the provider
 * is asked, and the provider is asked outside any transaction.
 */
export async function checkNumberRights(
  deps: GatewayDeps,
  request: FastifyRequest,
  secretBox: SecretBoxSource,
  companyId: string | undefined,
  number: { e164: string; matchOn: 'from' | 'to'; ownerUserId?: string | null | undefined },
): Promise<void> {
  const accounts = await withAdminCompany(deps, request, companyId, async (tx) => {
    if (number.ownerUserId && !(await getCompanyUser(tx, number.ownerUserId))) throw new BadRequestError('ownerUserId must be a user of the same company');
    return companyAccounts(tx, secretBox());
  });
  const operator = request.principal.kind === 'superadmin';
  if (accounts.shared && !operator) throw new ForbiddenError("this company's provider account is shared: its numbers are assigned by the platform operator");
  if (number.matchOn !== 'to') return;
  if (operator && !accounts.twilio && !accounts.vapiApiKey) return;
  await proveNumberOwned(deps.config, accounts, number.e164);
}

/** Deleting a number changes where a shared account's calls go: the operator's call there too. */
export async function checkNumberRemovalRights(
  deps: GatewayDeps,
  request: FastifyRequest,
  secretBox: SecretBoxSource,
  companyId: string | undefined,
): Promise<void> {
  if (request.principal.kind === 'superadmin') return;
  const accounts = await withAdminCompany(deps, request, companyId, (tx) => companyAccounts(tx, secretBox()));
  if (accounts.shared) throw new ForbiddenError("this company's provider account is shared: its numbers are assigned by the platform operator");
}
