import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listRedactionPatterns, replaceRedactionPatterns } from '@callvault/db';
import { companyPatternProblem, MAX_COMPANY_PATTERNS, MAX_PATTERN_LENGTH, MAX_PLACEHOLDER_LENGTH, placeholderFor } from '@callvault/redaction';
import { audit } from '../../audit';
import { adminCompanyOf } from '../../company-scope';
import { BadRequestError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { problem } from '../../openapi/problem';
import { auditSuperadminRead, companyIdFrom, withAdminCompany } from './admin-access';

const companyId = z.string().uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');

const pattern = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$/, 'letters, digits, spaces, dashes and underscores, at most 40')
      .describe('unique in the company, e.g. "mrn"; a pattern keeps its id while its name stays'),
    source: z
      .string()
      .min(1)
      .max(MAX_PATTERN_LENGTH)
      .describe('a JavaScript regular expression (Unicode mode, no lookarounds) proven to run in linear time; it must not match the empty string'),
    placeholder: z
      .string()
      // Control characters would break the search snippets' match markers, as in transcripts.
      .regex(/^[^\p{Cc}]+$/u, 'no control characters')
      .max(MAX_PLACEHOLDER_LENGTH)
      .optional()
      .describe('what replaces a match; "[REDACTED <NAME>]" when omitted'),
  })
  .strict();

const putBody = z
  .object({
    companyId,
    patterns: z
      .array(pattern)
      .max(MAX_COMPANY_PATTERNS)
      .refine((patterns) => new Set(patterns.map((entry) => entry.name.toLowerCase())).size === patterns.length, 'pattern names must be unique'),
  })
  .strict();

const redactionPatternsDto = z.object({
  patterns: z.array(z.object({ id: z.string(), name: z.string(), source: z.string(), placeholder: z.string(), createdAt: z.string(), updatedAt: z.string() })),
});

type Row = Awaited<ReturnType<typeof listRedactionPatterns>>[number];

function viewOf(rows: Row[]): z.infer<typeof redactionPatternsDto> {
  return {
    patterns: rows.map((row) => ({
      id: row.id,
      name: row.name,
      source: row.source,
      placeholder: row.placeholder,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    })),
  };
}

/** Every pattern is checked before anything is written: one bad pattern refuses the whole list. */
async function refuseUnsafe(patterns: ReadonlyArray<{ name: string; source: string }>): Promise<void> {
  for (const [index, entry] of patterns.entries()) {
    const found = await companyPatternProblem(entry.source);
    if (found) throw new BadRequestError(`patterns[${index}].source ("${entry.name}") ${found}`);
  }
}

const errors = { 400: problem, 401: problem, 403: problem, 404: problem };

/**
 * company_admin (own company) and superadmin: the company's own redaction patterns, applied with
 * cards and SSNs to every call text stored from then on (history is not rewritten).
 */
export function registerRedactionPatternRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schema = { tags: ['settings'] };

  routes.get(
    '/v1/settings/redaction-patterns',
    {
      schema: {
        ...schema,
        querystring: z.object({ companyId }).strict(),
        response: { 200: redactionPatternsDto, ...errors },
      },
    },
    async (request) =>
      withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        await auditSuperadminRead(tx, request, { action: 'settings.redaction_patterns.read', targetType: 'company', targetId: tx.scope.companyId });
        return viewOf(await listRedactionPatterns(tx));
      }),
  );

  routes.put(
    '/v1/settings/redaction-patterns',
    {
      schema: {
        ...schema,
        body: putBody,
        querystring: z.object({ companyId }).strict(),
        response: { 200: redactionPatternsDto, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      const requestedCompanyId = companyIdFrom(request.query, body);
      // Role and reach first: only an admin of the company can make the gateway analyse patterns.
      adminCompanyOf(request.principal, requestedCompanyId);
      await refuseUnsafe(body.patterns);
      const patterns = body.patterns.map((entry) => ({ name: entry.name, source: entry.source, placeholder: entry.placeholder ?? placeholderFor(entry.name) }));
      return withAdminCompany(deps, request, requestedCompanyId, async (tx) => {
        await replaceRedactionPatterns(tx, patterns);
        await audit(tx, request, request.principal, {
          companyId: tx.scope.companyId,
          action: 'settings.redaction_patterns.update',
          targetType: 'company',
          targetId: tx.scope.companyId,
          // The patterns describe what the company treats as sensitive, not sensitive values: the trail keeps them.
          details: { patterns: patterns.map((entry) => ({ name: entry.name, source: entry.source })) },
        });
        return viewOf(await listRedactionPatterns(tx));
      });
    },
  );
}
