import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { lockRecordingInScope, setRecordingLegalHold, updateRecordingFields, withReadScope, type Recording, type RecordingFieldChanges } from '@callvault/db';
import { audit } from '../../audit';
import { recordingDto, toRecordingDto } from '../../dto';
import { problem } from '../../openapi/problem';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { roleOf, scopeOf } from '../../principal';
import { idParams } from './recording-reads';

const patchBody = z
  .object({
    tags: z
      .array(z.string().trim().min(1).max(50))
      .max(20)
      .transform((tags) => [...new Set(tags)])
      .optional(),
    category: z.string().trim().min(1).max(100).nullable().optional(),
    priority: z.number().int().min(0).max(10).nullable().optional(),
    starred: z.boolean().optional(),
    archived: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'name at least one of tags, category, priority, starred, archived' });

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 429: problem };

const FIELD_OF = { tags: 'tags', category: 'category', priority: 'priority', starred: 'starred', archived: 'archived' } as const satisfies Record<
  keyof RecordingFieldChanges,
  keyof Recording
>;

/** `{ field: { from, to } }` for the fields whose value actually changes. */
export function changedFields(before: Recording, changes: RecordingFieldChanges): Record<string, { from: unknown; to: unknown }> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, value] of Object.entries(changes) as Array<[keyof RecordingFieldChanges, unknown]>) {
    if (value === undefined) continue;
    const from = before[FIELD_OF[field]];
    if (JSON.stringify(from) !== JSON.stringify(value)) changed[field] = { from, to: value };
  }
  return changed;
}

export function registerRecordingUpdateRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.patch(
    '/v1/recordings/:id',
    { schema: { tags: ['recordings'], params: idParams, body: patchBody, response: { 200: recordingDto, ...errors } } },
    async (request) => {
      const scope = scopeOf(request.principal);
      const updated = await withReadScope(deps.db, scope, async (tx) => {
        const recording = await lockRecordingInScope(tx, request.params.id);
        if (!recording) throw new NotFoundError('recording not found');
        const changes = changedFields(recording, request.body);
        if (Object.keys(changes).length === 0) return recording;
        await audit(tx, request, request.principal, {
          companyId: recording.company_id,
          action: 'recording.update',
          targetType: 'recording',
          targetId: recording.id,
          details: { changes },
        });
        return updateRecordingFields(tx, recording, request.body);
      });
      return toRecordingDto(updated);
    },
  );

  routes.put(
    '/v1/recordings/:id/legal-hold',
    { schema: { tags: ['recordings'], params: idParams, body: z.object({ legalHold: z.boolean() }).strict(), response: { 200: recordingDto, ...errors } } },
    async (request) => {
      const scope = scopeOf(request.principal);
      const role = roleOf(request.principal);
      const updated = await withReadScope(deps.db, scope, async (tx) => {
        const recording = await lockRecordingInScope(tx, request.params.id);
        if (!recording) throw new NotFoundError('recording not found');
        if (role !== 'company_admin' && role !== 'superadmin') throw new ForbiddenError('only a company admin may place or lift a legal hold');
        if (recording.legal_hold === request.body.legalHold) return recording;
        await audit(tx, request, request.principal, {
          companyId: recording.company_id,
          action: request.body.legalHold ? 'recording.legal_hold.place' : 'recording.legal_hold.lift',
          targetType: 'recording',
          targetId: recording.id,
          details: { legalHold: request.body.legalHold },
        });
        return setRecordingLegalHold(tx, recording, request.body.legalHold);
      });
      return toRecordingDto(updated);
    },
  );
}
