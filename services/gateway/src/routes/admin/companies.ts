import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createCompany, listCompaniesPage, withPlatform } from '@callvault/db';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
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
}
