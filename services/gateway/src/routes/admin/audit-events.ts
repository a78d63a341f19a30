import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAuditEventsPage, withPlatform, type AuditEventListRequest, type ScopedTx } from '@callvault/db';
import { problem } from '../../openapi/problem';
import type { GatewayDeps } from '../../gateway-deps';
import { auditSuperadminRead, auditSuperadminReadOf, withAdminCompany } from './admin-access';
import { decodePosition, pageFrom, pageOf, pageQuery, TIMESTAMP_CURSOR } from '../../paging';
import { auditEventDto, toAuditEventDto } from './admin-dto';

const timestamp = z
  .string()
  .datetime({ offset: true })
  .transform((value) => new Date(value));

const listQuery = z
  .object({
    companyId: z.string().uuid().optional().describe('superadmin: one company (default: every company); company_admin: omit (or its own)'),
    action: z.string().min(1).max(100).optional().describe('e.g. recording.play, user.update'),
    actorUserId: z.string().uuid().optional(),
    from: timestamp.optional().describe('inclusive'),
    to: timestamp.optional().describe('exclusive'),
    ...pageQuery,
  })
  .strict();

const errors = { 400: problem, 401: problem, 403: problem, 404: problem };

/** Who read, played, downloaded, changed or deleted what, when, from where: newest first. */
export function registerAuditEventRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/v1/audit-events',
      { schema: { tags: ['administration'], querystring: listQuery, response: { 200: pageOf(auditEventDto), ...errors } } },
      async (request) => {
        const { limit, cursor, companyId, ...filters } = request.query;
        const read = async (tx: ScopedTx, scopeId: string | null) => {
          const fingerprint = { route: 'audit-events', companyId: scopeId, filters };
          const page: Omit<AuditEventListRequest, 'limit'> = { ...filters, after: decodePosition(deps, cursor, fingerprint, TIMESTAMP_CURSOR) };
          const rows = await listAuditEventsPage(tx, { ...page, limit: limit + 1 });
          return pageFrom(deps, rows, limit, fingerprint, toAuditEventDto);
        };
        if (request.principal.kind === 'superadmin' && !companyId) {
          // Every company's trail at once: each company whose events the page shows records the read.
          return withPlatform(deps.db, async (tx) => {
            const result = await read(tx, null);
            await auditSuperadminReadOf(
              tx,
              request,
              result.items.map((item) => item.companyId),
              { action: 'audit_event.list', targetType: 'audit_event' },
            );
            return result;
          });
        }
        return withAdminCompany(deps, request, companyId, async (tx) => {
          const result = await read(tx, tx.scope.companyId);
          await auditSuperadminRead(tx, request, { action: 'audit_event.list', targetType: 'audit_event', targetId: null });
          return result;
        });
      },
    );
}
