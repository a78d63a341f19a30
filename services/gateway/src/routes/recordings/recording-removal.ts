import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getCompany,
  lockRecordingInScope,
  lockRecordingsInScope,
  updateRecordingFields,
  withCompany,
  withReadScope,
  type InScope,
  type Recording,
  type ScopedTx,
} from '@callvault/db';
import { cleanupCompany, deleteRecordings, deletionDetails } from '@callvault/erasure';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
import { ForbiddenError, LegalHoldError, NotFoundError } from '../../errors';
import { adminCompanyOf } from '../../company-scope';
import type { GatewayDeps } from '../../gateway-deps';
import { roleOf, scopeOf, type Principal } from '../../principal';
import { idParams } from './recording-reads';
import { changedFields } from './recording-updates';

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 429: problem };

const BULK_CHANGES = {
  star: { starred: true },
  unstar: { starred: false },
  archive: { archived: true },
  unarchive: { archived: false },
} as const;

const bulkResult = z.object({ id: z.uuid(), status: z.enum(['ok', 'not_found', 'forbidden', 'legal_hold']) });
type BulkStatus = z.infer<typeof bulkResult>['status'];

export function mayDelete(principal: Principal): boolean {
  return roleOf(principal) !== 'agent';
}

/** Deletes one locked recording with its audit event; its object's removal is in the outbox with them. */
async function deleteLocked(tx: ScopedTx, request: FastifyRequest, recording: InScope<Recording>, details: Record<string, unknown> = {}): Promise<void> {
  await deleteRecordings(tx, [recording], 'deleted on request');
  await audit(tx, request, request.principal, {
    companyId: recording.company_id,
    action: 'recording.delete',
    targetType: 'recording',
    targetId: recording.id,
    details: { ...deletionDetails(recording, 'request'), ...details },
  });
}

export function registerRecordingRemovalRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.delete(
    '/v1/recordings/:id',
    { schema: { tags: ['recordings'], params: idParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      const scope = scopeOf(request.principal);
      await withReadScope(deps.db, scope, async (tx) => {
        const recording = await lockRecordingInScope(tx, request.params.id);
        if (!recording) throw new NotFoundError('recording not found');
        if (!mayDelete(request.principal)) throw new ForbiddenError('only a manager or an admin may delete recordings');
        if (recording.legal_hold) throw new LegalHoldError();
        await deleteLocked(tx, request, recording);
      });
      deps.jobsCommitted();
      return reply.code(204).send(null);
    },
  );

  routes.post(
    '/v1/recordings/bulk/:action',
    {
      schema: {
        tags: ['recordings'],
        params: z.object({ action: z.enum(['star', 'unstar', 'archive', 'unarchive', 'delete']) }).strict(),
        body: z.object({ ids: z.array(z.uuid()).min(1).max(100) }).strict(),
        response: { 200: z.object({ results: z.array(bulkResult) }), ...errors },
      },
    },
    async (request) => {
      const { action } = request.params;
      const ids = [...new Set(request.body.ids.map((id) => id.toLowerCase()))];
      const scope = scopeOf(request.principal);
      const results = await withReadScope(deps.db, scope, async (tx) => {
        const found = new Map((await lockRecordingsInScope(tx, ids)).map((recording) => [recording.id, recording]));
        const statuses: Array<{ id: string; status: BulkStatus }> = [];
        for (const id of ids) {
          const recording = found.get(id);
          if (!recording) {
            statuses.push({ id, status: 'not_found' });
          } else if (action === 'delete') {
            if (!mayDelete(request.principal)) statuses.push({ id, status: 'forbidden' });
            else if (recording.legal_hold) statuses.push({ id, status: 'legal_hold' });
            else {
              await deleteLocked(tx, request, recording, { bulk: true });
              statuses.push({ id, status: 'ok' });
            }
          } else {
            const changes = changedFields(recording, BULK_CHANGES[action]);
            if (Object.keys(changes).length > 0) {
              await updateRecordingFields(tx, recording, BULK_CHANGES[action]);
              await audit(tx, request, request.principal, {
                companyId: recording.company_id,
                action: 'recording.update',
                targetType: 'recording',
                targetId: recording.id,
                details: { changes, bulk: true },
              });
            }
            statuses.push({ id, status: 'ok' });
          }
        }
        return statuses;
      });
      deps.jobsCommitted();
      return { results };
    },
  );

  routes.post(
    '/v1/recordings/cleanup',
    {
      schema: {
        tags: ['recordings'],
        body: z
          .object({
            olderThanDays: z.number().int().min(1).max(36500),
            dryRun: z.boolean().default(false),
            companyId: z.uuid().optional().describe('superadmin only: the company to clean up'),
          })
          .strict(),
        response: {
          200: z.object({ matched: z.number().int(), deleted: z.number().int(), skippedLegalHold: z.number().int(), dryRun: z.boolean() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const principal = request.principal;
      const { olderThanDays, dryRun } = request.body;
      const companyId = adminCompanyOf(principal, request.body.companyId);
      if (principal.kind === 'superadmin' && !(await withCompany(deps.db, companyId, (tx) => getCompany(tx)))) throw new NotFoundError('company not found');
      const olderThan = new Date(Date.now() - olderThanDays * 86_400_000);
      const result = await cleanupCompany({ db: deps.db, committed: deps.jobsCommitted }, companyId, olderThan, {
        dryRun,
        reason: `cleanup of recordings older than ${olderThanDays} days`,
        auditDeletion: (tx, recording) =>
          audit(tx, request, principal, {
            companyId,
            action: 'recording.delete',
            targetType: 'recording',
            targetId: recording.id,
            details: { ...deletionDetails(recording, 'cleanup'), olderThanDays },
          }),
      });
      await withCompany(deps.db, companyId, (tx) =>
        audit(tx, request, principal, {
          companyId,
          action: 'recordings.cleanup',
          targetType: 'company',
          targetId: companyId,
          details: { olderThanDays, dryRun, ...result },
        }),
      );
      return { ...result, dryRun };
    },
  );
}
