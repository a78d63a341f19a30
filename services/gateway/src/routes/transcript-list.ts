import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listTranscriptChanges, withReadScope, type TranscriptChange } from '@callvault/db';
import { feedPageFrom, feedQuery, feedStartOf, orTombstone } from '../change-feed';
import { transcriptStatus } from '../dto';
import { problem } from '../openapi/problem';
import type { GatewayDeps } from '../gateway-deps';
import { pageOf, pageQuery } from '../paging';
import { auditSuperadminList, listScopeOf, requireNamedCompany } from './recordings/list-paging';

const listQuery = z.object({ ...pageQuery, ...feedQuery, companyId: z.uuid().optional().describe('superadmin only: narrow to one company') }).strict();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 429: problem };

/** A transcript in a list: what it is and when it changed; its text is read (and audited) per recording. */
const transcriptListDto = z.object({
  id: z.string().uuid(),
  recordingId: z.string().uuid(),
  companyId: z.string().uuid(),
  status: transcriptStatus,
  source: z.string().nullable(),
  language: z.string().nullable(),
  redactionCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

function toTranscriptListDto(row: TranscriptChange): z.infer<typeof transcriptListDto> {
  return {
    id: row.id,
    recordingId: row.recording_id,
    companyId: row.company_id,
    status: row.status,
    source: row.source,
    language: row.language,
    redactionCount: row.redaction_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Transcripts in scope (by their recording's owner), oldest change first. With `sort=updatedAt`
 * it is the change feed: `updatedAfter` allowed, and the transcripts of deleted recordings as
 * tombstones.
 */
export function registerTranscriptListRoute(app: FastifyInstance, deps: GatewayDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/v1/transcripts',
      { schema: { tags: ['transcripts'], querystring: listQuery, response: { 200: pageOf(orTombstone(transcriptListDto)), ...errors } } },
      async (request) => {
        const { limit, companyId, sort } = request.query;
        const scope = listScopeOf(request.principal, companyId);
        const withTombstones = sort === 'updatedAt';
        const fingerprint = { list: 'transcripts', feed: withTombstones, scope };
        const start = feedStartOf(deps, request, request.query, fingerprint, true)!;
        const rows = await withReadScope(deps.db, scope, async (tx) => {
          await requireNamedCompany(tx, request.principal);
          const found = await listTranscriptChanges(tx, start, limit + 1, withTombstones);
          const shown = found.slice(0, limit).flatMap((row) => (row.kind === 'live' ? [row.row.company_id] : []));
          await auditSuperadminList(tx, request, shown, { resource: 'transcripts' });
          return found;
        });
        return feedPageFrom(deps, rows, limit, fingerprint, toTranscriptListDto);
      },
    );
}
