import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getRecordingForCompany, insertAuditEvent, withCompany } from '@callvault/db';
import { CONTENT_TYPES, companyPrefix } from '@callvault/storage';
import { problem } from '../openapi/problem';
import { ForbiddenError, NotFoundError, RangeNotSatisfiableError } from '../errors';
import type { GatewayDeps } from '../gateway-deps';
import { parseByteRange } from './recordings/byte-range';
import { createMediaSigner, type MediaGrant } from './recordings/media-token';
import { downloadFilename } from './recordings/download-filename';

const mediaQuery = z
  .object({
    company: z.uuid(),
    expires: z
      .string()
      .regex(/^\d{1,12}$/)
      .transform(Number),
    by: z.string().max(64),
    role: z.string().max(32),
    token: z.string().min(1).max(128),
    download: z.literal('1').optional(),
  })
  .strict();

/**
 * The audio behind a gateway playback URL (PLAYBACK_MODE=gateway). Outside the authenticated
 * /v1 plugin on purpose: an `<audio>` element sends no Authorization header. The URL's HMAC token
 * is the credential; it names the recording, its company and the expiry, so the lookup runs in
 * that company's RLS transaction. Plays were counted and audited when the URL was issued; the
 * many Range requests of one play are not. A download is audited again when it is served (its
 * first byte asked for), credited to the principal the link was issued to.
 */
/** A download served through a media link, in the recording's company trail. */
async function auditServedDownload(deps: GatewayDeps, request: FastifyRequest, grant: MediaGrant): Promise<void> {
  const [kind, id] = grant.issuedTo.split(':') as [string, string];
  const userAgent = request.headers['user-agent'];
  await withCompany(deps.db, grant.companyId, (tx) =>
    insertAuditEvent(tx, {
      companyId: grant.companyId,
      actorUserId: kind === 'user' ? id : null,
      actorSubject: 'media-link',
      actorRole: grant.role,
      action: 'recording.download.served',
      targetType: 'recording',
      targetId: grant.recordingId,
      details: { issuedTo: grant.issuedTo },
      ip: request.ip ?? null,
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
    }),
  );
}

export function registerMediaRoute(app: FastifyInstance, deps: GatewayDeps): void {
  const signer = createMediaSigner(deps.config.TAG_SIGNING_KEY!);

  app.withTypeProvider<ZodTypeProvider>().get(
    '/media/:id',
    {
      schema: {
        tags: ['recordings'],
        security: [],
        params: z.object({ id: z.uuid() }).strict(),
        querystring: mediaQuery,
        response: {
          200: z.unknown().describe('the audio'),
          206: z.unknown().describe('the requested byte range'),
          400: problem,
          403: problem,
          404: problem,
          416: problem,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { company, expires, by, role, token, download } = request.query;
      const grant = { recordingId: id, companyId: company, expires, download: download === '1', issuedTo: by, role };
      if (!signer.verify(grant, token, Date.now())) throw new ForbiddenError('media link is invalid or expired');
      const recording = await withCompany(deps.db, company, (tx) => getRecordingForCompany(tx, id));
      const key = recording?.storage_key;
      if (recording?.status !== 'stored' || !key || !key.startsWith(companyPrefix(company))) throw new NotFoundError('recording audio is not available');

      const size = recording.size_bytes !== null ? Number(recording.size_bytes) : (await deps.storage.headObject(key))?.sizeBytes;
      if (size === undefined) throw new NotFoundError('recording audio is not available');
      const range = parseByteRange(request.headers.range, size);
      if (grant.download && request.method === 'GET' && (range.kind !== 'partial' || range.start === 0)) await auditServedDownload(deps, request, grant);
      if (range.kind === 'unsatisfiable') {
        reply.header('accept-ranges', 'bytes').header('content-range', `bytes */${size}`);
        throw new RangeNotSatisfiableError();
      }
      const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size - 1];
      // HEAD: the headers only; nothing is read from storage. Storage is read before any audio
      // header is set, so a failure still answers in the JSON error shape.
      const body =
        request.method === 'HEAD' || size === 0
          ? Readable.from([])
          : await deps.storage.getObjectStream(key, range.kind === 'partial' ? `bytes=${start}-${end}` : undefined).then(
              (object) => object.body,
              (error: { name?: string }) => {
                if (error.name === 'NoSuchKey') throw new NotFoundError('recording audio is not available');
                throw error;
              },
            );
      reply.code(range.kind === 'partial' ? 206 : 200).headers({
        'accept-ranges': 'bytes',
        'content-type': CONTENT_TYPES[recording.format ?? ''] ?? 'application/octet-stream',
        'content-length': String(Math.max(0, end - start + 1)),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        'content-disposition': download ? `attachment; filename="${downloadFilename(recording)}"` : 'inline',
      });
      if (range.kind === 'partial') reply.header('content-range', `bytes ${start}-${end}/${size}`);
      return reply.send(body);
    },
  );
}
