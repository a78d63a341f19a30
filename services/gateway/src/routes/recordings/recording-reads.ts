import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { countPlayback, getCallAnalysis, getRecordingInScope, listRecordingsPage, withReadScope, type Recording } from '@callvault/db';
import { CONTENT_TYPES } from '@callvault/storage';
import { audit } from '../../audit';
import { errorDto, recordingDetailDto, recordingDto, toCallAnalysisDto, toRecordingDto } from '../../dto';
import { NotFoundError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { roleOf, scopeOf } from '../../principal';
import { auditSuperadminList, booleanString, listQueryBase, listScopeOf, requireNamedCompany, SORT_CURSORS } from './list-paging';
import { decodePosition, pageFrom, pageOf } from '../../paging';
import { createMediaSigner } from './media-token';

const listQuery = z
  .object({
    ...listQueryBase,
    status: z.enum(['pending', 'fetching', 'stored', 'failed', 'absent']).optional(),
    category: z.string().max(100).optional(),
    starred: booleanString.optional(),
    archived: booleanString.optional(),
  })
  .strict();

export const idParams = z.object({ id: z.uuid() }).strict();
const errors = { 400: errorDto, 401: errorDto, 403: errorDto, 404: errorDto, 429: errorDto };

/** `<date>_<from>_<to>_<id>.<ext>`, with only characters that are safe in a header and a file name. */
export function downloadFilename(recording: Recording): string {
  const date = (recording.started_at ?? recording.created_at).toISOString().slice(0, 10);
  const number = (value: string | null) => (value ? value.replace(/[^+0-9]/g, '') || 'unknown' : 'unknown');
  return `${date}_${number(recording.from_number)}_${number(recording.to_number)}_${recording.id}.${recording.format ?? 'bin'}`;
}

export function registerRecordingReadRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const media = createMediaSigner(deps.config.TAG_SIGNING_KEY!);

  routes.get(
    '/v1/recordings',
    { schema: { tags: ['recordings'], querystring: listQuery, response: { 200: pageOf(recordingDto), ...errors } } },
    async (request) => {
      const { limit, cursor, sortBy, sortOrder, companyId, ...filters } = request.query;
      const scope = listScopeOf(request.principal, companyId);
      const fingerprint = { list: 'recordings', sortBy, sortOrder, filters, scope };
      const after = decodePosition(deps, cursor, fingerprint, SORT_CURSORS[sortBy]);
      const rows = await withReadScope(deps.db, scope, async (tx) => {
        await requireNamedCompany(tx, request.principal);
        const found = await listRecordingsPage(tx, scope, { filters, sortBy, sortOrder, limit: limit + 1, after });
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
        const recording = await getRecordingInScope(tx, scope, request.params.id);
        if (!recording) return undefined;
        if (request.principal.kind === 'superadmin') {
          await audit(tx, request, request.principal, {
            companyId: recording.company_id,
            action: 'recording.read',
            targetType: 'recording',
            targetId: recording.id,
          });
        }
        return { recording, analysis: await getCallAnalysis(tx, recording.company_id, recording.id) };
      });
      if (!found) throw new NotFoundError('recording not found');
      return { ...toRecordingDto(found.recording), analysis: toCallAnalysisDto(found.analysis) };
    },
  );

  /** Plays and downloads count, and are audited, in the same transaction that finds the recording. */
  const signedAccess = async (request: FastifyRequest, id: string, kind: 'play' | 'download') => {
    const scope = scopeOf(request.principal);
    return withReadScope(deps.db, scope, async (tx) => {
      const recording = await getRecordingInScope(tx, scope, id);
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

  /** A URL for the recording's audio: presigned at storage, or served by the gateway's /media route. */
  const signedUrl = async (request: FastifyRequest, recording: Recording, download: boolean): Promise<{ url: string; expiresAt: Date }> => {
    const ttl = deps.config.PLAYBACK_URL_TTL_SECONDS;
    if (deps.config.PLAYBACK_MODE === 'gateway') {
      const expires = Math.floor(Date.now() / 1000) + ttl;
      const principal = request.principal;
      const issuedTo = principal.kind === 'superadmin' ? `superadmin:${principal.id}` : `user:${principal.user.id}`;
      const url = media.url(deps.config.GATEWAY_PUBLIC_URL, {
        recordingId: recording.id,
        companyId: recording.company_id,
        expires,
        download,
        issuedTo,
        role: roleOf(principal),
      });
      return { url, expiresAt: new Date(expires * 1000) };
    }
    const expiresAt = new Date(Date.now() + ttl * 1000);
    const url = await deps.storage.presignGet(recording.storage_key!, {
      expiresInSeconds: ttl,
      contentType: CONTENT_TYPES[recording.format ?? ''],
      ...(download ? { downloadFilename: downloadFilename(recording) } : {}),
    });
    return { url, expiresAt };
  };

  routes.get(
    '/v1/recordings/:id/playback',
    { schema: { tags: ['recordings'], params: idParams, response: { 200: z.object({ url: z.url(), expiresAt: z.string() }), ...errors } } },
    async (request) => {
      const recording = await signedAccess(request, request.params.id, 'play');
      const { url, expiresAt } = await signedUrl(request, recording, false);
      return { url, expiresAt: expiresAt.toISOString() };
    },
  );

  routes.get('/v1/recordings/:id/download', { schema: { tags: ['recordings'], params: idParams, response: errors } }, async (request, reply) => {
    const recording = await signedAccess(request, request.params.id, 'download');
    const { url } = await signedUrl(request, recording, true);
    return reply.redirect(url, 302);
  });
}
