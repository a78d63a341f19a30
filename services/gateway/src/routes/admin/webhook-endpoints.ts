import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookDeliveriesPage,
  listWebhookEndpointsPage,
  OUTBOUND_EVENT_TYPES,
  updateWebhookEndpoint,
  type CompanyTx,
} from '@callvault/db';
import { endpointUrlProblem, generateSigningSecret, redeliver, sealSigningSecret } from '@callvault/outbound-events';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
import { BadRequestError, NotFoundError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { decodePosition, pageFrom, pageOf, pageQuery, TIMESTAMP_CURSOR } from '../../paging';
import { companyIdFrom, withAdminCompany } from './admin-access';
import { toWebhookDeliveryDto, toWebhookEndpointDto, webhookDeliveryDto, webhookEndpointDto } from './admin-dto';
import type { SecretBoxSource } from './secret-box-source';

const companyId = z.uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');
const eventTypes = z.array(z.enum(OUTBOUND_EVENT_TYPES)).min(1).max(OUTBOUND_EVENT_TYPES.length);
const fields = {
  url: z.string().trim().max(2048).describe('https URL that receives the events (http://127.0.0.1 or localhost outside production)'),
  events: eventTypes,
  description: z.string().trim().max(500).nullable().optional(),
};
const createBody = z.object({ companyId, ...fields }).strict();
const patchBody = z
  .object({ ...fields, enabled: z.boolean().describe('true re-enables an endpoint that was disabled after failures') })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');
const companyQuery = z.object({ companyId }).strict();
const listQuery = z.object({ companyId, ...pageQuery }).strict();
const idParams = z.object({ id: z.uuid() }).strict();
const deliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() }).strict();
const createdEndpoint = webhookEndpointDto.extend({ secret: z.string().describe('the signing secret (whsec_…): shown this once, store it now') });
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 503: problem };

/**
 * A company's outbound webhook endpoints (contract: Integration). The URL is checked when it is
 * set (https only) and where it resolves at every delivery; the signing secret is shown once and
 * kept sealed; deliveries are listed with their attempts and can be sent again.
 */
export function registerWebhookEndpointRoutes(app: FastifyInstance, deps: GatewayDeps, secretBox: SecretBoxSource): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['integration'];
  const checkUrl = (url: string) => {
    const problem = endpointUrlProblem(url, { allowLoopbackHttp: deps.config.NODE_ENV !== 'production' });
    if (problem) throw new BadRequestError(problem);
  };
  const endpointOf = async (tx: CompanyTx, id: string) => {
    const endpoint = await getWebhookEndpoint(tx, id);
    if (!endpoint) throw new NotFoundError('webhook endpoint not found');
    return endpoint;
  };
  const auditChange = (tx: CompanyTx, request: FastifyRequest, action: string, targetId: string, details?: Record<string, unknown>) =>
    audit(tx, request, request.principal, { companyId: tx.scope.companyId, action, targetType: 'webhook_endpoint', targetId, ...(details ? { details } : {}) });

  routes.get(
    '/v1/webhook-endpoints',
    { schema: { tags, querystring: listQuery, response: { 200: pageOf(webhookEndpointDto), ...errors } } },
    async (request) => {
      const { companyId: named, limit, cursor } = request.query;
      return withAdminCompany(deps, request, named, async (tx) => {
        const fingerprint = { route: 'webhook-endpoints', companyId: tx.scope.companyId };
        const rows = await listWebhookEndpointsPage(tx, { limit: limit + 1, after: decodePosition(deps, cursor, fingerprint, TIMESTAMP_CURSOR) });
        return pageFrom(deps, rows, limit, fingerprint, toWebhookEndpointDto);
      });
    },
  );

  routes.post(
    '/v1/webhook-endpoints',
    { schema: { tags, querystring: companyQuery, body: createBody, response: { 201: createdEndpoint, ...errors } } },
    async (request, reply) => {
      const { url, events, description } = request.body;
      checkUrl(url);
      const box = secretBox();
      const secret = generateSigningSecret();
      const endpoint = await withAdminCompany(deps, request, companyIdFrom(request.query, request.body), async (tx) => {
        const created = await insertWebhookEndpoint(tx, { url, eventTypes: events, description: description ?? null }, (id) =>
          sealSigningSecret(box, tx.scope.companyId, id, secret),
        );
        await auditChange(tx, request, 'webhook_endpoint.create', created.id, { url, events });
        return created;
      });
      return reply.code(201).send({ ...toWebhookEndpointDto(endpoint), secret });
    },
  );

  routes.patch(
    '/v1/webhook-endpoints/:id',
    { schema: { tags, params: idParams, querystring: companyQuery, body: patchBody, response: { 200: webhookEndpointDto, ...errors } } },
    async (request) => {
      const { url, events, description, enabled } = request.body;
      if (url !== undefined) checkUrl(url);
      return withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        const updated = await updateWebhookEndpoint(tx, request.params.id, {
          ...(url !== undefined ? { url } : {}),
          ...(events !== undefined ? { eventTypes: events } : {}),
          ...(description !== undefined ? { description } : {}),
          ...(enabled !== undefined ? { enabled } : {}),
        });
        if (!updated) throw new NotFoundError('webhook endpoint not found');
        await auditChange(tx, request, 'webhook_endpoint.update', request.params.id, { changed: Object.keys(request.body) });
        return toWebhookEndpointDto(updated);
      });
    },
  );

  routes.delete(
    '/v1/webhook-endpoints/:id',
    { schema: { tags, params: idParams, querystring: companyQuery, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        if (!(await deleteWebhookEndpoint(tx, request.params.id))) throw new NotFoundError('webhook endpoint not found');
        await auditChange(tx, request, 'webhook_endpoint.delete', request.params.id);
      });
      return reply.code(204).send(null);
    },
  );

  routes.get(
    '/v1/webhook-endpoints/:id/deliveries',
    { schema: { tags, params: idParams, querystring: listQuery, response: { 200: pageOf(webhookDeliveryDto), ...errors } } },
    async (request) => {
      const { companyId: named, limit, cursor } = request.query;
      return withAdminCompany(deps, request, named, async (tx) => {
        await endpointOf(tx, request.params.id);
        const fingerprint = { route: 'webhook-deliveries', endpointId: request.params.id, companyId: tx.scope.companyId };
        const rows = await listWebhookDeliveriesPage(tx, request.params.id, {
          limit: limit + 1,
          after: decodePosition(deps, cursor, fingerprint, TIMESTAMP_CURSOR),
        });
        return pageFrom(deps, rows, limit, fingerprint, toWebhookDeliveryDto);
      });
    },
  );

  routes.post(
    '/v1/webhook-endpoints/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        tags,
        params: deliveryParams,
        querystring: companyQuery,
        response: { 202: z.object({ deliveryId: z.uuid(), status: z.literal('queued') }), ...errors },
      },
    },
    async (request, reply) => {
      await withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        // Looked up under this endpoint: an unknown endpoint and an unknown delivery are the same 404.
        if (!(await redeliver(tx, request.params.id, request.params.deliveryId))) throw new NotFoundError('delivery not found');
        await auditChange(tx, request, 'webhook_delivery.redeliver', request.params.id, { deliveryId: request.params.deliveryId });
      });
      deps.jobsCommitted();
      return reply.code(202).send({ deliveryId: request.params.deliveryId, status: 'queued' as const });
    },
  );
}
