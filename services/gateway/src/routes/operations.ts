import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCompany, getWebhookEvent, insertOutboxJobs, withCompany, withPlatform } from '@callvault/db';
import { describeJob } from '@callvault/queue';
import { audit, auditPlatform } from '../audit';
import { problem } from '../openapi/problem';
import { ForbiddenError, NotFoundError } from '../errors';
import type { GatewayDeps } from '../gateway-deps';
import { roleOf } from '../principal';

const accepted = z.object({ jobId: z.string(), status: z.literal('queued') });
const errors = { 400: problem, 401: problem, 403: problem, 404: problem };

/** Operator actions that run in the workers: a provider sync for one company, a replay of one event. */
export function registerOperationRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/v1/recordings/sync',
    {
      schema: { tags: ['recordings'], body: z.object({ companyId: z.string().uuid().optional() }).strict().optional(), response: { 202: accepted, ...errors } },
    },
    async (request, reply) => {
      const principal = request.principal;
      const role = roleOf(principal);
      if (role !== 'company_admin' && role !== 'superadmin') throw new ForbiddenError('only a company admin may start a sync');
      const named = request.body?.companyId;
      // Anyone but a superadmin may only name their own company: another one is out of scope (404).
      if (principal.kind === 'user' && named && named !== principal.user.company_id) throw new NotFoundError('company not found');
      const companyId = principal.kind === 'user' ? principal.user.company_id : named;
      if (!companyId) throw new NotFoundError('company not found');
      const job = describeJob('provider-sync', { companyId, requestedAt: new Date().toISOString() });
      await withCompany(deps.db, companyId, async (tx) => {
        if (!(await getCompany(tx))) throw new NotFoundError('company not found');
        await audit(tx, request, principal, { companyId, action: 'recordings.sync', targetType: 'company', targetId: companyId });
        await insertOutboxJobs(tx, [job]);
      });
      deps.jobsCommitted();
      return reply.code(202).send({ jobId: job.jobId, status: 'queued' as const });
    },
  );

  routes.post(
    '/v1/webhook-events/:id/replay',
    { schema: { tags: ['webhook-events'], params: z.object({ id: z.string().uuid() }).strict(), response: { 202: accepted, ...errors } } },
    async (request, reply) => {
      if (request.principal.kind !== 'superadmin') throw new ForbiddenError('only a superadmin may replay webhook events');
      const principal = request.principal;
      const job = await withPlatform(deps.db, async (tx) => {
        const event = await getWebhookEvent(tx, request.params.id);
        if (!event) throw new NotFoundError('webhook event not found');
        const replay = describeJob('event-replay', { eventId: event.id, requestedAt: new Date().toISOString() });
        // A quarantined event belongs to no company yet: its replay goes to the platform's own trail.
        if (event.company_id)
          await audit(tx, request, principal, { companyId: event.company_id, action: 'webhook_event.replay', targetType: 'webhook_event', targetId: event.id });
        else await auditPlatform(tx, request, principal, { action: 'webhook_event.replay', targetType: 'webhook_event', targetId: event.id });
        await insertOutboxJobs(tx, [replay]);
        return replay;
      });
      deps.jobsCommitted();
      return reply.code(202).send({ jobId: job.jobId, status: 'queued' as const });
    },
  );
}
