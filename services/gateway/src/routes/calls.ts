import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCallInScope, listCallChanges, listCallRecordingDetails, listCallsPage, withReadScope } from '@callvault/db';
import { audit } from '../audit';
import { callDetailDto, callDto, toCallDetailDto, toCallDto } from '../dto';
import { problem } from '../openapi/problem';
import { NotFoundError } from '../errors';
import type { GatewayDeps } from '../gateway-deps';
import { scopeOf } from '../principal';
import { auditSuperadminList, listQueryBase, listScopeOf, requireNamedCompany, SORT_CURSORS } from './recordings/list-paging';
import { decodePosition, pageFrom, pageOf } from '../paging';
import { feedPageFrom, feedQuery, feedStartOf, orTombstone } from '../change-feed';

const listQuery = z.object({ ...listQueryBase, status: z.string().min(1).max(32).optional(), ...feedQuery }).strict();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 429: problem };

/** Calls in scope, scoped by the call's owner exactly like recordings by theirs. */
export function registerCallRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/calls',
    { schema: { tags: ['calls'], querystring: listQuery, response: { 200: pageOf(orTombstone(callDto)), ...errors } } },
    async (request) => {
      const { limit, cursor, sortBy, sortOrder, companyId, sort, updatedAfter, ...filters } = request.query;
      const scope = listScopeOf(request.principal, companyId);
      const feedFingerprint = { list: 'calls', feed: true, scope };
      const feedStart = feedStartOf(deps, request, request.query, feedFingerprint);
      if (feedStart) {
        const rows = await withReadScope(deps.db, scope, async (tx) => {
          await requireNamedCompany(tx, request.principal);
          const found = await listCallChanges(tx, scope, feedStart, limit + 1);
          const shown = found.slice(0, limit).flatMap((row) => (row.kind === 'live' ? [row.row.company_id] : []));
          await auditSuperadminList(tx, request, shown, { resource: 'calls' });
          return found;
        });
        return feedPageFrom(deps, rows, limit, feedFingerprint, toCallDto);
      }
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
    },
  );

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
