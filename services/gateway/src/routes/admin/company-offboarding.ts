import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findOffboardingRecord, getCompany, inCompany, insertOutboxJobs, listHeldRecordingIds, withPlatform } from '@callvault/db';
import { describeJob } from '@callvault/queue';
import { auditPlatform } from '../../audit';
import { ForbiddenError, NotFoundError, sendLegalHold } from '../../errors';
import { timestamp } from '../../openapi/formats';
import { legalHoldProblem, problem } from '../../openapi/problem';
import type { GatewayDeps } from '../../gateway-deps';
import { requireSuperadmin } from './admin-access';

const params = z.object({ id: z.uuid() }).strict();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem };
const offboardingDto = z.object({
  companyId: z.uuid(),
  status: z.enum(['in_progress', 'completed']),
  requestedAt: timestamp.nullable(),
  completedAt: timestamp.nullable(),
});
const heldDto = legalHoldProblem({ heldRecordingIds: z.array(z.uuid()).describe('recordings under legal hold: nothing was removed') });

/**
 * A company's end, the platform operator's decision: the request is recorded in the platform's
 * audit trail (the company's own goes with it) and the work runs as a job of the operations
 * worker; its status is read from that trail, which outlives the company.
 */
export function registerCompanyOffboardingRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.delete(
    '/v1/companies/:id',
    {
      schema: {
        tags: ['administration'],
        description:
          'Offboards a company: provider accounts detached, every object under its storage prefix and every row removed, a record kept in the platform audit trail. Answers 202; poll GET /v1/companies/{id}/offboarding. Export first (GET /v1/companies/{id}/export): nothing can be restored.',
        params,
        response: { 202: offboardingDto, ...errors, 409: heldDto },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal.kind !== 'superadmin') throw new ForbiddenError('this action needs the superadmin role');
      const companyId = request.params.id;
      const outcome = await withPlatform(deps.db, async (tx) => {
        if (!(await inCompany(tx, companyId, (companyTx) => getCompany(companyTx)))) throw new NotFoundError('company not found');
        const held = await listHeldRecordingIds(tx, companyId);
        if (held.length > 0) return { kind: 'held' as const, held };
        await auditPlatform(tx, request, principal, { action: 'company.offboard.requested', targetType: 'company', targetId: companyId });
        await insertOutboxJobs(tx, [describeJob('company-offboarding', { companyId })]);
        return { kind: 'queued' as const, requestedAt: new Date() };
      });
      if (outcome.kind === 'held') {
        return sendLegalHold(reply, `${outcome.held.length} recording(s) of the company are under legal hold; nothing was removed`, {
          heldRecordingIds: outcome.held,
        });
      }
      deps.jobsCommitted();
      return reply.code(202).send({ companyId, status: 'in_progress' as const, requestedAt: outcome.requestedAt.toISOString(), completedAt: null });
    },
  );

  routes.get(
    '/v1/companies/:id/offboarding',
    { schema: { tags: ['administration'], params, response: { 200: offboardingDto, ...errors } } },
    async (request) => {
      requireSuperadmin(request.principal);
      const companyId = request.params.id;
      const record = await withPlatform(deps.db, (tx) => findOffboardingRecord(tx, companyId));
      const requested = record.find((event) => event.action === 'company.offboard.requested');
      const completed = record.find((event) => event.action === 'company.offboard.completed');
      if (!requested && !completed) throw new NotFoundError('no offboarding of this company');
      return {
        companyId,
        status: completed ? ('completed' as const) : ('in_progress' as const),
        requestedAt: requested ? requested.created_at.toISOString() : null,
        completedAt: completed ? completed.created_at.toISOString() : null,
      };
    },
  );
}
