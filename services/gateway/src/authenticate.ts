import type { FastifyRequest } from 'fastify';
import { TokenError, type TokenVerifier } from '@callvault/auth';
import { findApiKeyByHash, findPrincipalBySubject, listDirectReportIds, touchApiKey, withCompany, withPlatform, type Db, type User } from '@callvault/db';
import { apiKeyHash, isApiKey } from './api-key-token';
import { ForbiddenError, UnauthorizedError } from './errors';
import type { Principal } from './principal';
import type { PrincipalCache } from './principal-cache';

interface AuthenticationDeps {
  db: Db;
  verifyToken: TokenVerifier;
  /** Absent: every request reads its principal (the queue board's rare sign-ins). */
  principals?: PrincipalCache | undefined;
}

/**
 * Bearer token → principal. The token only names the subject; company, role, manager and
 * disabled come from the database, or from the principal cache within its bound (see
 * principal-cache.ts), so a demotion or a disable applies within seconds at most. The token's
 * signature is checked once a minute at most (verified-token-cache.ts), its expiry on every
 * request: an expired one is refused at once.
 */
export async function authenticate(deps: AuthenticationDeps, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_\-.]{10,4096})$/.exec(header) : null;
  if (!match) throw new UnauthorizedError('a Bearer token is required');
  if (isApiKey(match[1]!)) return authenticateApiKey(deps, match[1]!);
  let subject: string;
  try {
    subject = (await deps.verifyToken(match[1]!)).subject;
  } catch (error) {
    if (error instanceof TokenError) throw new UnauthorizedError(error.message);
    throw error;
  }
  const cacheKey = `subject:${subject}`;
  const cached = deps.principals?.get(cacheKey);
  if (cached) return cached;
  const principal = await loadSubject(deps.db, subject);
  deps.principals?.set(cacheKey, principal);
  return principal;
}

async function loadSubject(db: Db, subject: string): Promise<Principal> {
  const record = await withPlatform(db, (tx) => findPrincipalBySubject(tx, subject));
  if (!record) throw new ForbiddenError('this user is not registered');
  if (record.kind === 'superadmin') {
    if (record.disabled) throw new ForbiddenError('this user is disabled');
    return { kind: 'superadmin', id: record.id, subject: record.subject };
  }
  if (record.user.disabled) throw new ForbiddenError('this user is disabled');
  return { kind: 'user', user: record.user, reportIds: await reportIdsOf(db, record.user) };
}

async function reportIdsOf(db: Db, user: User): Promise<string[]> {
  return user.role === 'manager' ? withCompany(db, user.company_id, (tx) => listDirectReportIds(tx, user.id)) : [];
}

/**
 * `Bearer cvk_…`: the key acts as its user, read live like a JWT's: a disabled user, or one whose
 * role is no longer the key's, stops the key (403). A key that is unknown, revoked or expired is
 * 401, the same answer for all three.
 */
async function authenticateApiKey(deps: AuthenticationDeps, token: string): Promise<Principal> {
  const hash = apiKeyHash(token);
  const cacheKey = `api-key:${hash}`;
  const cached = deps.principals?.get(cacheKey);
  if (cached) return cached;
  const db = deps.db;
  const found = await withPlatform(db, async (tx) => {
    const match = await findApiKeyByHash(tx, hash);
    const usable = match && !match.key.revoked_at && (!match.key.expires_at || match.key.expires_at.getTime() > Date.now());
    if (usable) await touchApiKey(tx, match.key.id);
    return usable ? match : undefined;
  });
  if (!found) throw new UnauthorizedError('the API key is invalid, revoked or expired');
  const { key, user } = found;
  if (user.disabled) throw new ForbiddenError('the user this API key acts as is disabled');
  if (user.role !== key.role) throw new ForbiddenError('the user this API key acts as no longer has its role');
  const principal: Principal = { kind: 'user', user, reportIds: await reportIdsOf(db, user), apiKey: { id: key.id, readOnly: key.read_only } };
  // `last_used_at` is touched on a cache miss: it stays within a minute plus the cache's bound.
  deps.principals?.set(cacheKey, principal, key.expires_at);
  return principal;
}
