import type { FastifyRequest } from 'fastify';
import { constraintViolationOf, getCompany, withCompany, type CompanyTx, type ConstraintViolation, type ScopedTx } from '@callvault/db';
import { audit } from '../../audit';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { adminCompanyOf } from '../../company-scope';
import type { Principal } from '../../principal';

/**
 * Who may administer what. Roles are checked before anything is looked up, so an agent gets the
 * same 403 whatever it asks for; a company outside the caller's reach answers 404.
 */
export function requireSuperadmin(principal: Principal): void {
  if (principal.kind !== 'superadmin') throw new ForbiddenError('this action needs the superadmin role');
}

/** A creating or replacing request may name the company in its query or its body, not two different ones. */
export function companyIdFrom(query: { companyId?: string | undefined }, body: { companyId?: string | undefined }): string | undefined {
  if (query.companyId && body.companyId && query.companyId !== body.companyId) throw new BadRequestError('companyId differs between query and body');
  return body.companyId ?? query.companyId;
}

/** One company transaction (RLS bound) for an administration request, after the role check. */
export async function withAdminCompany<T>(
  deps: GatewayDeps,
  request: FastifyRequest,
  requestedCompanyId: string | undefined,
  work: (tx: CompanyTx) => Promise<T>,
): Promise<T> {
  const companyId = adminCompanyOf(request.principal, requestedCompanyId);
  return withCompany(deps.db, companyId, async (tx) => {
    if (request.principal.kind === 'superadmin' && !(await getCompany(tx))) throw new NotFoundError('company not found');
    return work(tx);
  });
}

/** A superadmin reading a company's data leaves a trace in that company's audit trail. */
export async function auditSuperadminRead(
  tx: CompanyTx,
  request: FastifyRequest,
  event: { action: string; targetType: string; targetId: string | null; details?: Record<string, unknown> },
): Promise<void> {
  if (request.principal.kind !== 'superadmin') return;
  await audit(tx, request, request.principal, { companyId: tx.scope.companyId, ...event });
}

/** The same, once per company whose rows a cross-company page showed. */
export async function auditSuperadminReadOf(
  tx: ScopedTx,
  request: FastifyRequest,
  companyIds: ReadonlyArray<string | null>,
  event: { action: string; targetType: string; details?: Record<string, unknown> },
): Promise<void> {
  if (request.principal.kind !== 'superadmin') return;
  for (const companyId of new Set(companyIds)) {
    if (companyId) await audit(tx, request, request.principal, { companyId, targetId: null, ...event });
  }
}

/**
 * Runs a write and answers a broken integrity rule with the route's own 400/409 instead of a 500.
 * `conflict` replaces the plain 409 for a unique or exclusion violation when given.
 */
export async function translatingViolations<T>(
  work: () => Promise<T>,
  messages: { unique?: string; foreignKey?: string; check?: string; conflict?: (violation: ConstraintViolation) => Error },
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const violation = constraintViolationOf(error);
    if ((violation?.kind === 'unique' || violation?.kind === 'exclusion') && messages.conflict) throw messages.conflict(violation);
    if (violation?.kind === 'unique' && messages.unique) throw new ConflictError(messages.unique);
    if (violation?.kind === 'foreign_key' && messages.foreignKey) throw new BadRequestError(messages.foreignKey);
    if (violation?.kind === 'check' && messages.check) throw new BadRequestError(messages.check);
    throw error;
  }
}
