import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getIntelligenceSettings, readScorecardCounts, type CompanyTx, type ScorecardCounts } from '@callvault/db';
import { audit } from '../audit';
import { problem } from '../openapi/problem';
import { listScopeOf, requireNamedCompany } from '../company-scope';
import { CompanyRequiredError } from '../errors';
import type { GatewayDeps } from '../gateway-deps';
import { statsQuery } from './stats';
import { withReplicaRead } from '../replica-reads';

const counts = { yes: z.number().int(), no: z.number().int(), notApplicable: z.number().int() };
const response = z.object({
  byQuestion: z.array(
    z.object({
      questionId: z.string(),
      question: z.string().nullable().describe("the question's text in the current settings; null once it was removed"),
      ...counts,
    }),
  ),
  byAgent: z.array(
    z.object({
      ownerUserId: z.string().uuid().nullable().describe("the recording's owner; null for recordings no user owns"),
      ...counts,
      questions: z.array(z.object({ questionId: z.string(), ...counts })),
    }),
  ),
});

type Counts = Pick<ScorecardCounts, 'yes' | 'no' | 'notApplicable'>;
const add = (total: Counts, entry: Counts): Counts => ({
  yes: total.yes + entry.yes,
  no: total.no + entry.no,
  notApplicable: total.notApplicable + entry.notApplicable,
});
const NONE: Counts = { yes: 0, no: 0, notApplicable: 0 };

/**
 * Scorecard answers counted per question and per agent, in the caller's scope like the other stats
 * (agent: own recordings; manager: own and reports'; company admin: the company). Question ids are
 * a company's own, so a superadmin names the company.
 */
export function registerScorecardStatsRoute(app: FastifyInstance, deps: GatewayDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/v1/stats/scorecard',
      { schema: { tags: ['stats'], querystring: statsQuery, response: { 200: response, 400: problem, 401: problem, 403: problem, 404: problem } } },
      async (request) => {
        const { from, to, companyId } = request.query;
        if (request.principal.kind === 'superadmin' && !companyId) throw new CompanyRequiredError();
        const scope = listScopeOf(request.principal, companyId);
        const { rows, questions } = await withReplicaRead(deps, request, scope, async (tx) => {
          await requireNamedCompany(tx, request.principal);
          if (request.principal.kind === 'superadmin' && companyId) {
            await audit(tx, request, request.principal, { companyId, action: 'company.stats.read', targetType: 'company', targetId: companyId });
          }
          // A company scope always here: a company user's own, or the company the superadmin named.
          const settings = await getIntelligenceSettings(tx as CompanyTx);
          return { rows: await readScorecardCounts(tx, { from: from ?? null, to: to ?? null }), questions: settings?.scorecard_questions ?? [] };
        });
        const text = new Map(questions.map((question) => [question.id, question.text]));
        const byQuestion = new Map<string, Counts>();
        const byAgent = new Map<string | null, { total: Counts; questions: Array<{ questionId: string } & Counts> }>();
        for (const row of rows) {
          const entry = { yes: row.yes, no: row.no, notApplicable: row.notApplicable };
          byQuestion.set(row.questionId, add(byQuestion.get(row.questionId) ?? NONE, entry));
          const agent = byAgent.get(row.ownerUserId) ?? { total: NONE, questions: [] };
          agent.total = add(agent.total, entry);
          agent.questions.push({ questionId: row.questionId, ...entry });
          byAgent.set(row.ownerUserId, agent);
        }
        return {
          byQuestion: [...byQuestion].map(([questionId, total]) => ({ questionId, question: text.get(questionId) ?? null, ...total })),
          byAgent: [...byAgent].map(([ownerUserId, agent]) => ({ ownerUserId, ...agent.total, questions: agent.questions })),
        };
      },
    );
}
