import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getCallInScope,
  listCallAnalysisSummaries,
  listCallChanges,
  listCallRecordingDetails,
  listCallsPage,
  listRecordingAnalyses,
  withReadScope,
  type CallAnalysisSummary,
  type ReadTx,
} from '@callvault/db';
import { audit, auditEach } from '../audit';
import { callDetailDto, callDto, toCallDetailDto, toCallDto } from '../dto';
import { problem } from '../openapi/problem';
import { NotFoundError } from '../errors';
import type { GatewayDeps } from '../gateway-deps';
import { scopeOf } from '../principal';
import { auditSuperadminList, listQueryBase, listScopeOf, requireNamedCompany, SORT_CURSORS } from './recordings/list-paging';
import { decodePosition, pageFrom, pageOf } from '../paging';
import { feedPageFrom, feedQuery, feedStartOf, orTombstone } from '../change-feed';
import { withReplicaRead } from '../replica-reads';

const listQuery = z.object({ ...listQueryBase, status: z.string().min(1).max(32).optional(), ...feedQuery }).strict();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 429: problem };

/**
 * The newest analysis of each call shown, in one query for the page. An analysis quotes the call,
 * so each one shown leaves a `recording.analysis.read` (one statement for the page), as on the
 * recording's own detail.
 */
async function analysesShown(tx: ReadTx, request: FastifyRequest, callIds: string[]): Promise<Map<string, CallAnalysisSummary>> {
  const analyses = await listCallAnalysisSummaries(tx, callIds);
  await auditEach(
    tx,
    request,
    request.principal,
    [...analyses.values()].map((analysis) => ({
      companyId: analysis.companyId,
      action: 'recording.analysis.read',
      targetType: 'recording',
      targetId: analysis.recordingId,
      details: { callId: analysis.callId },
    })),
  );
  return analyses;
}

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
          const found = await listCallChanges(tx, feedStart, limit + 1);
          const shown = found.slice(0, limit).flatMap((row) => (row.kind === 'live' ? [row.row] : []));
          await auditSuperadminList(
            tx,
            request,
            shown.map((call) => call.company_id),
            { resource: 'calls' },
          );
          const analyses = await analysesShown(
            tx,
            request,
            shown.map((call) => call.id),
          );
          return { found, analyses };
        });
        return feedPageFrom(deps, rows.found, limit, feedFingerprint, (call) => toCallDto(call, rows.analyses.get(call.id)));
      }
      const fingerprint = { list: 'calls', sortBy, sortOrder, filters, scope };
      const after = decodePosition(deps, cursor, fingerprint, SORT_CURSORS[sortBy]);
      const rows = await withReplicaRead(deps, request, scope, async (tx) => {
        await requireNamedCompany(tx, request.principal);
        const found = await listCallsPage(tx, { filters, sortBy, sortOrder, limit: limit + 1, after });
        const shown = found.slice(0, limit);
        await auditSuperadminList(
          tx,
          request,
          shown.map((row) => row.company_id),
          { resource: 'calls' },
        );
        const analyses = await analysesShown(
          tx,
          request,
          shown.map((row) => row.id),
        );
        return { found, analyses };
      });
      return pageFrom(deps, rows.found, limit, fingerprint, (call) => toCallDto(call, rows.analyses.get(call.id)));
    },
  );

  routes.get(
    '/v1/calls/:id',
    { schema: { tags: ['calls'], params: z.object({ id: z.uuid() }).strict(), response: { 200: callDetailDto, ...errors } } },
    async (request) => {
      const scope = scopeOf(request.principal);
      const detail = await withReadScope(deps.db, scope, async (tx) => {
        const call = await getCallInScope(tx, request.params.id);
        if (!call) return undefined;
        // A call's details carry its summary (the content of the conversation): every read is audited.
        await audit(tx, request, request.principal, { companyId: call.company_id, action: 'call.read', targetType: 'call', targetId: call.id });
        const recordings = await listCallRecordingDetails(tx, call);
        const byRecording = await listRecordingAnalyses(
          tx,
          call.company_id,
          recordings.map((entry) => entry.recording.id),
        );
        const summary = (await analysesShown(tx, request, [call.id])).get(call.id);
        // The summary's recording is audited above; each other analysis shown in full leaves its own trace.
        await auditEach(
          tx,
          request,
          request.principal,
          [...byRecording.keys()]
            .filter((recordingId) => recordingId !== summary?.recordingId)
            .map((recordingId) => ({ companyId: call.company_id, action: 'recording.analysis.read', targetType: 'recording', targetId: recordingId })),
        );
        return toCallDetailDto(call, recordings, { summary, byRecording });
      });
      if (!detail) throw new NotFoundError('call not found');
      return detail;
    },
  );
}
