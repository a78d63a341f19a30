import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { timestamp } from '../../openapi/formats';
import { countPlayback, getCallAnalysis, getRecordingInScope, listRecordingChanges, listRecordingsPage, withReadScope } from '@callvault/db';
import { audit } from '../../audit';
import { recordingDetailDto, recordingDto, toCallAnalysisDto, toRecordingDto } from '../../dto';
import { problem } from '../../openapi/problem';
import { NotFoundError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { scopeOf } from '../../principal';
import { auditSuperadminList, booleanString, listQueryBase, listScopeOf, requireNamedCompany, SORT_CURSORS } from './list-paging';
import { decodePosition, pageFrom, pageOf } from '../../paging';
import { feedPageFrom, feedQuery, feedStartOf, orTombstone } from '../../change-feed';
import { audioUrlSigner } from './signed-audio-url';
import { withReplicaRead } from '../../replica-reads';

const listQuery = z
  .object({
    ...listQueryBase,
    status: z.enum(['pending', 'fetching', 'stored', 'failed', 'absent']).optional(),
    category: z.string().max(100).optional(),
    starred: booleanString.optional(),
    archived: booleanString.optional(),
    ...feedQuery,
  })
  .strict();

export const idParams = z.object({ id: z.uuid() }).strict();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 429: problem };

export function registerRecordingReadRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const signAudioUrl = audioUrlSigner(deps);

  routes.get(
    '/v1/recordings',
    { schema: { tags: ['recordings'], querystring: listQuery, response: { 200: pageOf(orTombstone(recordingDto)), ...errors } } },
    async (request) => {
      const { limit, cursor, sortBy, sortOrder, companyId, sort, updatedAfter, ...filters } = request.query;
      const scope = listScopeOf(request.principal, companyId);
      const feedFingerprint = { list: 'recordings', feed: true, scope };
      const feedStart = feedStartOf(deps, request, request.query, feedFingerprint);
      if (feedStart) {
        const rows = await withReadScope(deps.db, scope, async (tx) => {
          await requireNamedCompany(tx, request.principal);
          const found = await listRecordingChanges(tx, feedStart, limit + 1);
          const shown = found.slice(0, limit).flatMap((row) => (row.kind === 'live' ? [row.row.company_id] : []));
          await auditSuperadminList(tx, request, shown, { resource: 'recordings' });
          return found;
        });
        return feedPageFrom(deps, rows, limit, feedFingerprint, toRecordingDto);
      }
      const fingerprint = { list: 'recordings', sortBy, sortOrder, filters, scope };
      const after = decodePosition(deps, cursor, fingerprint, SORT_CURSORS[sortBy]);
      const rows = await withReplicaRead(deps, request, scope, async (tx) => {
        await requireNamedCompany(tx, request.principal);
        const found = await listRecordingsPage(tx, { filters, sortBy, sortOrder, limit: limit + 1, after });
        await auditSuperadminList(
          tx,
          request,
          found.slice(0, limit).map((row) => row.company_id),
          { resource: 'recordings' },
        );
        return found;
      });
      return pageFrom(deps, rows, limit, fingerprint, toRecordingDto);
    },
  );

  routes.get(
    '/v1/recordings/:id',
    { schema: { tags: ['recordings'], params: idParams, response: { 200: recordingDetailDto, ...errors } } },
    async (request) => {
      const scope = scopeOf(request.principal);
      const found = await withReadScope(deps.db, scope, async (tx) => {
        const recording = await getRecordingInScope(tx, request.params.id);
        if (!recording) return undefined;
        const analysis = await getCallAnalysis(tx, recording.company_id, recording.id);
        // The analysis quotes the call (summary, evidence), so reading it leaves a trace like the
        // transcript's; the metadata alone is audited only for a superadmin, who reads across companies.
        if (analysis || request.principal.kind === 'superadmin') {
          await audit(tx, request, request.principal, {
            companyId: recording.company_id,
            action: analysis ? 'recording.analysis.read' : 'recording.read',
            targetType: 'recording',
            targetId: recording.id,
          });
        }
        return { recording, analysis };
      });
      if (!found) throw new NotFoundError('recording not found');
      return { ...toRecordingDto(found.recording), analysis: toCallAnalysisDto(found.analysis) };
    },
  );

  /** Plays and downloads count, and are audited, in the same transaction that finds the recording. */
  const signedAccess = async (request: FastifyRequest, id: string, kind: 'play' | 'download') => {
    const scope = scopeOf(request.principal);
    return withReadScope(deps.db, scope, async (tx) => {
      const recording = await getRecordingInScope(tx, id);
      if (!recording) throw new NotFoundError('recording not found');
      if (recording.status !== 'stored' || !recording.storage_key) throw new NotFoundError('recording audio is not available');
      await countPlayback(tx, recording, kind);
      await audit(tx, request, request.principal, {
        companyId: recording.company_id,
        action: `recording.${kind}`,
        targetType: 'recording',
        targetId: recording.id,
        details: { mode: deps.config.PLAYBACK_MODE },
      });
      return recording;
    });
  };

  routes.get(
    '/v1/recordings/:id/playback',
    { schema: { tags: ['recordings'], params: idParams, response: { 200: z.object({ url: z.url(), expiresAt: timestamp }), ...errors } } },
    async (request) => {
      const recording = await signedAccess(request, request.params.id, 'play');
      const { url, expiresAt } = await signAudioUrl(request.principal, recording, false);
      return { url, expiresAt: expiresAt.toISOString() };
    },
  );

  const redirect = z.null().describe('Found: Location is a short-lived signed URL serving the file as an attachment');
  routes.get(
    '/v1/recordings/:id/download',
    { schema: { tags: ['recordings'], params: idParams, response: { 302: redirect, ...errors } } },
    async (request, reply) => {
      const recording = await signedAccess(request, request.params.id, 'download');
      const { url } = await signAudioUrl(request.principal, recording, true);
      return reply.redirect(url, 302);
    },
  );
}
