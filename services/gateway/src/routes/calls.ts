import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCallInScope, listCallRecordingDetails, listCallsPage, withReadScope } from '@callvault/db';
import { audit } from '../audit';
import { callDetailDto, callDto, toCallDetailDto, toCallDto } from '../dto';
import { problem } from '../openapi/problem';
import { NotFoundError } from '../errors';
import type { GatewayDeps } from '../gateway-deps';
import { scopeOf } from '../principal';
import { auditSuperadminList, listQueryBase, listScopeOf, requireNamedCompany, SORT_CURSORS } from './recordings/list-paging';
import { decodePosition, pageFrom, pageOf } from '../paging';

const listQuery = z.object({ ...listQueryBase, status: z.string().min(1).max(32).optional() }).strict();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 429: problem };

/** Calls in scope, scoped by the call's owner exactly like recordings by theirs. */
export function registerCallRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/v1/calls', { schema: { tags: ['calls'], querystring: listQuery, response: { 200: pageOf(callDto), ...errors } } }, async (request) => {
    const { limit, cursor, sortBy, sortOrder, companyId, ...filters } = request.query;
    const scope = listScopeOf(request.principal, companyId);
    const fingerprint = { list: 'calls', sortBy, sortOrder, filters, scope };
    const after = decodePosition(deps, cursor, fingerprint, SORT_CURSORS[sortBy]);
    const rows = await withReadScope(deps.db, scope, async (tx) => {
      await requireNamedCompany(tx, request.principal);
      const found = await listCallsPage(tx, scope, { filters, sortBy, sortOrder, limit: limit + 1, after });
      await auditSuperadminList(
        tx,
        request,
        found.slice(0, limit).map((row) => row.company_id),
        { resource: 'calls' },
      );
      return found;
    });
    return pageFrom(deps, rows, limit, fingerprint, toCallDto);
  });

  routes.get(
    '/v1/calls/:id',
    { schema: { tags: ['calls'], params: z.object({ id: z.uuid() }).strict(), response: { 200: callDetailDto, ...errors } } },
    async (request) => {
      const scope = scopeOf(request.principal);
      const detail = await withReadScope(deps.db, scope, async (tx) => {
        const call = await getCallInScope(tx, scope, request.params.id);
        if (!call) return undefined;
        // A call's details carry its summary (the content of the conversation): every read is audited.
        await audit(tx, request, request.principal, { companyId: call.company_id, action: 'call.read', targetType: 'call', targetId: call.id });
        return toCallDetailDto(call, await listCallRecordingDetails(tx, scope, call));
      });
      if (!detail) throw new NotFoundError('call not found');
      return detail;
    },
  );
}
