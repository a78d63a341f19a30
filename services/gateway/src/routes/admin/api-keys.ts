import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { endRotatedApiKey, getApiKey, getCompanyUser, insertApiKey, listApiKeysPage, revokeApiKey, type ApiKey, type CompanyTx } from '@callvault/db';
import { apiKeyDisplayPrefix, apiKeyHash, generateApiKey } from '../../api-key-token';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { decodePosition, pageFrom, pageOf, pageQuery, TIMESTAMP_CURSOR } from '../../paging';
import { auditSuperadminRead, companyIdFrom, withAdminCompany } from './admin-access';
import { apiKeyDto, toApiKeyDto } from './admin-dto';

/** A key lives two years at most: an integration is re-keyed at least that often. */
const MAX_LIFETIME_MS = 2 * 365 * 86_400_000;
const DEFAULT_OVERLAP_SECONDS = 86_400;

const companyId = z.uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');
const createBody = z
  .object({
    companyId,
    name: z.string().trim().min(1).max(100),
    role: z.enum(['company_admin', 'manager', 'agent']),
    userId: z.uuid().optional().describe('the user the key acts as, who must have this role; a company_admin key defaults to its creator'),
    readOnly: z.boolean().default(true),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('ISO-8601, within two years; absent: the key does not expire'),
  })
  .strict();
const rotateBody = z
  .object({
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(DEFAULT_OVERLAP_SECONDS)
      .describe('how long the old key keeps working'),
  })
  .strict();
const companyQuery = z.object({ companyId }).strict();
const listQuery = z.object({ companyId, ...pageQuery }).strict();
const idParams = z.object({ id: z.uuid() }).strict();
const createdKey = apiKeyDto.extend({ key: z.string().describe('the key itself: shown this once, store it now') });
const errors = { 400: problem, 401: problem, 403: problem, 404: problem };

/** Keys are managed by people: a key that could mint keys would outlive any revocation of itself. */
function requirePerson(request: FastifyRequest): void {
  if (request.principal.kind === 'user' && request.principal.apiKey) throw new ForbiddenError('API keys cannot manage API keys');
}

function expiryOf(expiresAt: string | undefined): Date | null {
  if (!expiresAt) return null;
  const at = new Date(expiresAt);
  if (at.getTime() <= Date.now()) throw new BadRequestError('expiresAt must be in the future');
  if (at.getTime() > Date.now() + MAX_LIFETIME_MS) throw new BadRequestError('expiresAt must be within two years');
  return at;
}

/** The user a new key acts as: of this company, enabled, with exactly the key's role. */
async function keyUser(tx: CompanyTx, request: FastifyRequest, role: ApiKey['role'], userId: string | undefined): Promise<string> {
  const principal = request.principal;
  const id = userId ?? (role === 'company_admin' && principal.kind === 'user' ? principal.user.id : undefined);
  if (!id)
    throw new BadRequestError(role === 'company_admin' ? 'a superadmin must name the userId of a company_admin' : `a ${role} key needs the userId it acts as`);
  const user = await getCompanyUser(tx, id);
  if (!user) throw new NotFoundError('user not found');
  if (user.disabled) throw new BadRequestError('the user is disabled');
  if (user.role !== role) throw new BadRequestError(`the user is a ${user.role}, not a ${role}`);
  return user.id;
}

/**
 * A company's API keys (contract: Integration). Created by a company_admin (or a superadmin naming
 * the company), shown once, stored as a hash; revoked at once; rotated with an overlap during
 * which both keys work.
 */
export function registerApiKeyRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['integration'];

  routes.get('/v1/api-keys', { schema: { tags, querystring: listQuery, response: { 200: pageOf(apiKeyDto), ...errors } } }, async (request) => {
    requirePerson(request);
    const { companyId: named, limit, cursor } = request.query;
    return withAdminCompany(deps, request, named, async (tx) => {
      const fingerprint = { route: 'api-keys', companyId: tx.scope.companyId };
      const rows = await listApiKeysPage(tx, { limit: limit + 1, after: decodePosition(deps, cursor, fingerprint, TIMESTAMP_CURSOR) });
      await auditSuperadminRead(tx, request, {
        action: 'company.read',
        targetType: 'company',
        targetId: tx.scope.companyId,
        details: { resource: 'api-keys' },
      });
      return pageFrom(deps, rows, limit, fingerprint, toApiKeyDto);
    });
  });

  routes.post(
    '/v1/api-keys',
    { schema: { tags, querystring: companyQuery, body: createBody, response: { 201: createdKey, ...errors } } },
    async (request, reply) => {
      requirePerson(request);
      const { name, role, userId, readOnly, expiresAt } = request.body;
      const expires = expiryOf(expiresAt);
      const key = generateApiKey();
      const row = await withAdminCompany(deps, request, companyIdFrom(request.query, request.body), async (tx) => {
        const inserted = await insertApiKey(tx, {
          userId: await keyUser(tx, request, role, userId),
          name,
          role,
          readOnly,
          tokenHash: apiKeyHash(key),
          tokenPrefix: apiKeyDisplayPrefix(key),
          expiresAt: expires,
          createdByUserId: request.principal.kind === 'user' ? request.principal.user.id : null,
        });
        await audit(tx, request, request.principal, {
          companyId: tx.scope.companyId,
          action: 'api_key.create',
          targetType: 'api_key',
          targetId: inserted.id,
          details: { name, role, userId: inserted.user_id, readOnly },
        });
        return inserted;
      });
      return reply.code(201).send({ ...toApiKeyDto(row), key });
    },
  );

  routes.post(
    '/v1/api-keys/:id/rotate',
    { schema: { tags, params: idParams, querystring: companyQuery, body: rotateBody, response: { 201: createdKey, ...errors } } },
    async (request, reply) => {
      requirePerson(request);
      const key = generateApiKey();
      const row = await withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        const old = await getApiKey(tx, request.params.id);
        if (!old) throw new NotFoundError('API key not found');
        if (old.revoked_at || (old.expires_at && old.expires_at.getTime() <= Date.now()))
          throw new BadRequestError('a revoked or expired key cannot be rotated');
        const successor = await insertApiKey(tx, {
          userId: old.user_id,
          name: old.name,
          role: old.role,
          readOnly: old.read_only,
          tokenHash: apiKeyHash(key),
          tokenPrefix: apiKeyDisplayPrefix(key),
          expiresAt: old.expires_at,
          createdByUserId: request.principal.kind === 'user' ? request.principal.user.id : null,
        });
        await endRotatedApiKey(tx, old.id, successor.id, new Date(Date.now() + request.body.overlapSeconds * 1000));
        await audit(tx, request, request.principal, {
          companyId: tx.scope.companyId,
          action: 'api_key.rotate',
          targetType: 'api_key',
          targetId: old.id,
          details: { successorId: successor.id, overlapSeconds: request.body.overlapSeconds },
        });
        return successor;
      });
      return reply.code(201).send({ ...toApiKeyDto(row), key });
    },
  );

  routes.delete(
    '/v1/api-keys/:id',
    { schema: { tags, params: idParams, querystring: companyQuery, response: { 200: apiKeyDto, ...errors } } },
    async (request) => {
      requirePerson(request);
      return withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        const revoked = await revokeApiKey(tx, request.params.id);
        if (!revoked) throw new NotFoundError('API key not found');
        await audit(tx, request, request.principal, { companyId: tx.scope.companyId, action: 'api_key.revoke', targetType: 'api_key', targetId: revoked.id });
        return toApiKeyDto(revoked);
      });
    },
  );
}
