import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createCompany, listCompaniesPage, getCompany, updateCompany, withCompany, withPlatform } from '@callvault/db';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
import { ForbiddenError, NotFoundError } from '../../errors';
import { namedCompanyOf } from '../../company-scope';
import type { GatewayDeps } from '../../gateway-deps';
import { requireSuperadmin } from './admin-access';
import { decodePosition, pageFrom, pageOf, pageQuery, TIMESTAMP_CURSOR } from '../../paging';
import { companyDto, toCompanyDto } from './admin-dto';

const listQuery = z.object(pageQuery).strict();

const createBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    retentionDays: z.number().int().min(1).max(36500).nullable().optional().describe('days recordings are kept; null or absent: forever'),
    recordingFormat: z.enum(['mp3', 'wav']).optional(),
  })
  .strict();

const patchBody = z
  .object({
    name: createBody.shape.name.optional(),
    retentionDays: z.number().int().min(1).max(36500).nullable().optional().describe('days recordings are kept; null: forever (superadmin only)'),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.retentionDays !== undefined, { message: 'name or retentionDays is required' });

const errors = { 400: problem, 401: problem, 403: problem };

/** Tenants: the platform operator's (superadmin's) business only. */
export function registerCompanyRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/companies',
    { schema: { tags: ['administration'], querystring: listQuery, response: { 200: pageOf(companyDto), ...errors } } },
    async (request) => {
      requireSuperadmin(request.principal);
      const { limit, cursor } = request.query;
      const fingerprint = { route: 'companies' };
      const after = decodePosition(deps, cursor, fingerprint, TIMESTAMP_CURSOR);
      const rows = await withPlatform(deps.db, (tx) => listCompaniesPage(tx, { limit: limit + 1, after }));
      return pageFrom(deps, rows, limit, fingerprint, toCompanyDto);
    },
  );

  routes.post('/v1/companies', { schema: { tags: ['administration'], body: createBody, response: { 201: companyDto, ...errors } } }, async (request, reply) => {
    const principal = request.principal;
    requireSuperadmin(principal);
    const company = await withPlatform(deps.db, async (tx) => {
      const created = await createCompany(tx, request.body);
      await audit(tx, request, principal, {
        companyId: created.id,
        action: 'company.create',
        targetType: 'company',
        targetId: created.id,
        details: { name: created.name, retentionDays: created.retention_days, recordingFormat: created.recording_format },
      });
      return created;
    });
    return reply.code(201).send(toCompanyDto(company));
  });

  routes.patch(
    '/v1/companies/:id',
    {
      schema: {
        tags: ['administration'],
        params: z.object({ id: z.uuid() }).strict(),
        body: patchBody,
        response: { 200: companyDto, ...errors, 404: problem },
      },
    },
    async (request) => {
      const principal = request.principal;
      // Another company is out of a company user's scope (404) before their role is even looked at.
      const companyId = namedCompanyOf(principal, request.params.id);
      if (!companyId) throw new NotFoundError('company not found');
      const { name, retentionDays } = request.body;
      if (principal.kind === 'user') {
        if (principal.user.role !== 'company_admin') throw new ForbiddenError('this action needs the company_admin role');
        if (name !== undefined) throw new ForbiddenError('only a superadmin may rename a company');
        const { COMPANY_RETENTION_MIN_DAYS: min, COMPANY_RETENTION_MAX_DAYS: max } = deps.config;
        if (retentionDays === null || retentionDays === undefined || retentionDays < min || retentionDays > max)
          throw new ForbiddenError(`a company admin may set retentionDays between ${min} and ${max}`);
      }
      const updated = await withCompany(deps.db, companyId, async (tx) => {
        const before = await getCompany(tx);
        if (!before) throw new NotFoundError('company not found');
        const after = await updateCompany(tx, { name, retentionDays });
        if (!after) throw new NotFoundError('company not found');
        await audit(tx, request, principal, {
          companyId,
          action: 'company.update',
          targetType: 'company',
          targetId: companyId,
          details: {
            ...(name !== undefined ? { name: { from: before.name, to: after.name } } : {}),
            ...(retentionDays !== undefined ? { retentionDays: { from: before.retention_days, to: after.retention_days } } : {}),
          },
        });
        return after;
      });
      return toCompanyDto(updated);
    },
  );
}
