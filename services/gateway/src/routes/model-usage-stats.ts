import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '@callvault/config';
import { readModelUsageTotals } from '@callvault/db';
import { audit } from '../audit';
import { problem } from '../openapi/problem';
import { listScopeOf, requireNamedCompany } from '../company-scope';
import { ForbiddenError } from '../errors';
import type { GatewayDeps } from '../gateway-deps';
import { statsQuery } from './stats';
import { withReplicaRead } from '../replica-reads';

const usage = {
  requests: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  costUsd: z.number().nullable().describe('null when a model counted has no price in INTELLIGENCE_PRICE_PER_MILLION_TOKENS: cost unknown'),
};
const response = z.object({
  totals: z.object(usage),
  byCompanyAndModel: z.array(z.object({ companyId: z.string().uuid(), model: z.string(), ...usage })),
});

type Prices = Config['INTELLIGENCE_PRICE_PER_MILLION_TOKENS'];

/** USD for the tokens at the operator's price for the model, or null when it set none. */
function costOf(prices: Prices, model: string, tokens: { promptTokens: number; completionTokens: number }): number | null {
  const price = prices.find((entry) => entry.model === model);
  if (!price) return null;
  return (tokens.promptTokens * price.inputPerMillion + tokens.completionTokens * price.outputPerMillion) / 1_000_000;
}

/**
 * What the language model cost, per company and model: tokens as the transcriber counted them
 * (model_usage), priced by the operator's table. Spending is the company's business, not an
 * agent's or a manager's: company admins see their company, a superadmin one company or all.
 */
export function registerModelUsageStatsRoute(app: FastifyInstance, deps: GatewayDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/v1/stats/model-usage',
      { schema: { tags: ['stats'], querystring: statsQuery, response: { 200: response, 400: problem, 401: problem, 403: problem, 404: problem } } },
      async (request) => {
        const { principal } = request;
        if (principal.kind === 'user' && principal.user.role !== 'company_admin') throw new ForbiddenError('model usage needs the company_admin role');
        const { from, to, companyId } = request.query;
        const scope = listScopeOf(principal, companyId);
        const rows = await withReplicaRead(deps, request, scope, async (tx) => {
          await requireNamedCompany(tx, principal);
          if (principal.kind === 'superadmin' && companyId) {
            await audit(tx, request, principal, { companyId, action: 'company.stats.read', targetType: 'company', targetId: companyId });
          }
          return readModelUsageTotals(tx, { from: from ?? null, to: to ?? null });
        });
        const prices = deps.config.INTELLIGENCE_PRICE_PER_MILLION_TOKENS;
        const byCompanyAndModel = rows.map((row) => ({ ...row, costUsd: costOf(prices, row.model, row) }));
        const sum = (pick: (row: (typeof byCompanyAndModel)[number]) => number) => byCompanyAndModel.reduce((total, row) => total + pick(row), 0);
        return {
          totals: {
            requests: sum((row) => row.requests),
            promptTokens: sum((row) => row.promptTokens),
            completionTokens: sum((row) => row.completionTokens),
            // One unpriced model makes the total unknown: a partial sum would read as the whole bill.
            costUsd: byCompanyAndModel.every((row) => row.costUsd !== null) ? sum((row) => row.costUsd ?? 0) : null,
          },
          byCompanyAndModel,
        };
      },
    );
}
