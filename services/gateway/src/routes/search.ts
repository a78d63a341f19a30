import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { timestamp } from '../openapi/formats';
import { searchTranscripts, withReadScope, type TranscriptSearchHit } from '@callvault/db';
import { problem } from '../openapi/problem';
import { audit } from '../audit';
import { listScopeOf, requireNamedCompany } from '../company-scope';
import type { GatewayDeps } from '../gateway-deps';

const searchQuery = z
  .object({
    q: z.string().trim().min(1).max(200).describe('words, "a phrase", OR, -excluded (web-search syntax)'),
    limit: z.coerce.number().int().min(1).max(50).default(20),
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
    startedAt: hit.startedAt ? hit.startedAt.toISOString() : null,
    ownerUserId: hit.ownerUserId,
  };
}

/** Full-text search over the transcripts of the recordings the caller may see, best match first. */
export function registerSearchRoute(app: FastifyInstance, deps: Pick<GatewayDeps, 'db'>): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/search',
    {
      schema: {
        tags: ['transcripts'],
        querystring: searchQuery,
        response: { 200: z.object({ items: z.array(searchHitDto) }), 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => {
      const { q, limit, companyId } = request.query;
      const scope = listScopeOf(request.principal, companyId);
      const hits = await withReadScope(deps.db, scope, async (tx) => {
        await requireNamedCompany(tx, request.principal);
        const found = await searchTranscripts(tx, scope, { q, limit });
        // Snippets are transcript text: every search leaves a trail naming the recordings it showed,
        // in the caller's company, or for a superadmin in the company it named or each company shown.
        const companies =
          request.principal.kind === 'user' ? [request.principal.user.company_id] : companyId ? [companyId] : [...new Set(found.map((hit) => hit.companyId))];
        for (const shown of companies) {
          const hits = found.filter((hit) => hit.companyId === shown);
          await audit(tx, request, request.principal, {
            companyId: shown,
            action: 'transcript.search',
            targetType: 'company',
            targetId: shown,
            // The recordings shown, not the words asked for: search text may itself be personal data.
            details: { hits: hits.length, recordingIds: hits.map((hit) => hit.recordingId) },
          });
        }
        return found;
      });
      return { items: hits.map(toSearchHitDto) };
    },
  );
}
