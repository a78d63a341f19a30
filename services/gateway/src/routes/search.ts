import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { iso, timestamp } from '../openapi/formats';
import { searchTranscripts, type TranscriptSearchHit } from '@callvault/db';
import { problem } from '../openapi/problem';
import { audit } from '../audit';
import { listScopeOf, requireNamedCompany } from '../company-scope';
import type { GatewayDeps } from '../gateway-deps';
import { decodePosition, pageFrom, pageOf, pageQuery, type CursorValue } from '../paging';
import { withReplicaRead } from '../replica-reads';

/** A search pages by rank, exact as Postgres computed it, then recording id. */
const RANK_CURSOR: CursorValue = { type: 'real', nullable: false };

const searchQuery = z
  .object({
    q: z.string().trim().min(1).max(200).describe('words, "a phrase", OR, -excluded (web-search syntax)'),
    ...pageQuery,
    companyId: z.string().uuid().optional().describe('superadmin only: narrow to one company'),
  })
  .strict();

const searchHitDto = z
  .object({
    recordingId: z.string().uuid(),
    callId: z.string().uuid(),
    rank: z.number(),
    snippet: z.string().describe('HTML-escaped transcript fragments, matches in <mark>…</mark>'),
    startedAt: timestamp.nullable(),
    ownerUserId: z.string().uuid().nullable(),
  })
  .meta({ id: 'SearchHit' });

function toSearchHitDto(hit: TranscriptSearchHit): z.infer<typeof searchHitDto> {
  return {
    recordingId: hit.recordingId,
    callId: hit.callId,
    rank: hit.rank,
    snippet: hit.snippet,
    startedAt: iso(hit.startedAt),
    ownerUserId: hit.ownerUserId,
  };
}

/**
 * Full-text search over the transcripts of the recordings the caller may see, best match first, in
 * keyset pages like every list: the cursor is signed with the words and the caller's scope, so it
 * continues only this search for this caller (another agent's or company's cursor is a 400).
 */
export function registerSearchRoute(app: FastifyInstance, deps: Pick<GatewayDeps, 'db' | 'cursors'>): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/search',
    {
      schema: {
        tags: ['transcripts'],
        querystring: searchQuery,
        response: { 200: pageOf(searchHitDto), 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const { q, limit, cursor, companyId } = request.query;
      const scope = listScopeOf(request.principal, companyId);
      const fingerprint = { list: 'search', q, scope };
      const after = decodePosition(deps, cursor, fingerprint, RANK_CURSOR);
      const hits = await withReplicaRead(
        deps,
        request,
        scope,
        async (tx) => {
          await requireNamedCompany(tx, request.principal);
          const found = await searchTranscripts(tx, { q, limit: limit + 1, after });
          const shown = found.slice(0, limit);
          // Snippets are transcript text: every search leaves a trail naming the recordings it showed,
          // in the caller's company, or for a superadmin in the company it named or each company shown.
          const companies =
            request.principal.kind === 'user' ? [request.principal.user.company_id] : companyId ? [companyId] : [...new Set(shown.map((hit) => hit.companyId))];
          for (const company of companies) {
            const hits = shown.filter((hit) => hit.companyId === company);
            await audit(tx, request, request.principal, {
              companyId: company,
              action: 'transcript.search',
              targetType: 'company',
              targetId: company,
              // The recordings shown, not the words asked for: search text may itself be personal data.
              details: { hits: hits.length, recordingIds: hits.map((hit) => hit.recordingId) },
            });
          }
          return found;
        },
        { audited: true },
      );
      return pageFrom(
        deps,
        hits.map((hit) => ({ ...hit, id: hit.recordingId })),
        limit,
        fingerprint,
        toSearchHitDto,
      );
    },
  );
}
