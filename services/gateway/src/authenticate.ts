import type { FastifyRequest } from 'fastify';
import { TokenError, type TokenVerifier } from '@callvault/auth';
import { findPrincipalBySubject, listDirectReportIds, withCompany, withPlatform, type Db } from '@callvault/db';
import { ForbiddenError, UnauthorizedError } from './errors';
import type { Principal } from './principal';

/**
 * Bearer token → principal. The token only names the subject; company, role, manager and
 * disabled come from the database on every request, so a demotion or a disable applies at once.
 */
export async function authenticate(deps: { db: Db; verifyToken: TokenVerifier }, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_\-.]{10,4096})$/.exec(header) : null;
  if (!match) throw new UnauthorizedError('a Bearer token is required');
  let subject: string;
  try {
    subject = (await deps.verifyToken(match[1]!)).subject;
  } catch (error) {
    if (error instanceof TokenError) throw new UnauthorizedError(error.message);
    throw error;
  }
  const record = await withPlatform(deps.db, (tx) => findPrincipalBySubject(tx, subject));
  if (!record) throw new ForbiddenError('this user is not registered');
  if (record.kind === 'superadmin') {
    if (record.disabled) throw new ForbiddenError('this user is disabled');
    return { kind: 'superadmin', id: record.id, subject: record.subject };
  }
  if (record.user.disabled) throw new ForbiddenError('this user is disabled');
  const reportIds = record.user.role === 'manager' ? await withCompany(deps.db, record.user.company_id, (tx) => listDirectReportIds(tx, record.user.id)) : [];
  return { kind: 'user', user: record.user, reportIds };
}
