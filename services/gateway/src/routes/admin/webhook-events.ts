import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getWebhookEvent, listWebhookEventsPage, withPlatform } from '@callvault/db';
import { audit, auditPlatform } from '../../audit';
import { problem } from '../../openapi/problem';
import { NotFoundError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { auditSuperadminReadOf, requireSuperadmin } from './admin-access';
import { decodePosition, pageFrom, pageOf, pageQuery, TIMESTAMP_CURSOR } from '../../paging';
import { toWebhookEventDto, toWebhookEventSummaryDto, webhookEventDto, webhookEventSummaryDto } from './admin-dto';

const listQuery = z
  .object({
    status: z.enum(['accepted', 'quarantined', 'rejected']).optional(),
    provider: z.enum(['twilio', 'vapi']).optional(),
    companyId: z.string().uuid().optional(),
    ...pageQuery,
  })
  .strict();

const idParams = z.object({ id: z.string().uuid() }).strict();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem };

/**
 * The event store, for the platform operator: what arrived, what was quarantined or rejected.
 * Lists leave the payload out (it carries phone numbers); one event shows it, and that read is
 * audited in the event's company.
 */
export function registerWebhookEventRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['operations'];

  routes.get(
    '/v1/webhook-events',
    { schema: { tags, querystring: listQuery, response: { 200: pageOf(webhookEventSummaryDto), ...errors } } },
    async (request) => {
      requireSuperadmin(request.principal);
      const { limit, cursor, ...filters } = request.query;
      const fingerprint = { route: 'webhook-events', filters };
      const after = decodePosition(deps, cursor, fingerprint, TIMESTAMP_CURSOR);
      return withPlatform(deps.db, async (tx) => {
        const rows = await listWebhookEventsPage(tx, { ...filters, limit: limit + 1, after });
        const result = pageFrom(deps, rows, limit, fingerprint, toWebhookEventSummaryDto);
        await auditSuperadminReadOf(
          tx,
          request,
          result.items.map((item) => item.companyId),
          { action: 'webhook_event.list', targetType: 'webhook_event' },
        );
        const unowned = result.items.filter((item) => item.companyId === null).map((item) => item.id);
        if (unowned.length > 0 && request.principal.kind === 'superadmin') {
          await auditPlatform(tx, request, request.principal, {
            action: 'webhook_event.list',
            targetType: 'webhook_event',
            targetId: null,
            details: { eventIds: unowned },
          });
        }
        return result;
      });
    },
  );

  routes.get('/v1/webhook-events/:id', { schema: { tags, params: idParams, response: { 200: webhookEventDto, ...errors } } }, async (request) => {
    const principal = request.principal;
    requireSuperadmin(principal);
    return withPlatform(deps.db, async (tx) => {
      const event = await getWebhookEvent(tx, request.params.id);
      if (!event) throw new NotFoundError('webhook event not found');
      // A quarantined event belongs to no company yet: its read goes to the platform's own trail.
      if (event.company_id)
        await audit(tx, request, principal, { companyId: event.company_id, action: 'webhook_event.read', targetType: 'webhook_event', targetId: event.id });
      else if (principal.kind === 'superadmin')
        await auditPlatform(tx, request, principal, {
          action: 'webhook_event.read',
          targetType: 'webhook_event',
          targetId: event.id,
          details: { status: event.status },
        });
      return toWebhookEventDto(event);
    });
  });
}
