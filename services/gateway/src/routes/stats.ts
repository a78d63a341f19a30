import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { day as dayFormat } from '../openapi/formats';
import { readDailyStats } from '@callvault/db';
import { audit } from '../audit';
import { problem } from '../openapi/problem';
import { listScopeOf, requireNamedCompany } from '../company-scope';
import type { GatewayDeps } from '../gateway-deps';
import { withReplicaRead } from '../replica-reads';

// Date.parse quietly rolls 2024-02-30 over to March: a day is valid only if it reads back the same.
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((value) => {
    const parsed = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
  }, 'not a calendar date');
/** The period every stats route takes (UTC days, both ends included), and a superadmin's company. */
export const statsQuery = z
  .object({ from: day.optional(), to: day.optional(), companyId: z.string().uuid().optional().describe('superadmin only') })
  .strict()
  .refine((value) => !value.from || !value.to || value.from <= value.to, 'from must not be after to');

const counts = {
  calls: z.number().int(),
  answeredCalls: z.number().int(),
  recordedSeconds: z.number(),
  storedBytes: z.number(),
  averageTalkRatio: z.number().nullable(),
};
const response = z.object({
  totals: z.object(counts),
  byStatus: z.object({ stored: z.number().int(), failed: z.number().int(), other: z.number().int() }),
  byDirection: z.object({ inbound: z.number().int(), outbound: z.number().int(), other: z.number().int() }),
  byDay: z.array(z.object({ day: dayFormat, ...counts })),
});

/**
 * Counts, durations and bytes in the caller's scope, read from the daily rollups (per company,
 * owner and day) rather than scanned from recordings, so a large company costs what a small one does.
 */
export function registerStatsRoute(app: FastifyInstance, deps: GatewayDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/v1/recordings/stats',
      { schema: { tags: ['recordings'], querystring: statsQuery, response: { 200: response, 400: problem, 401: problem, 403: problem, 404: problem } } },
      async (request) => {
        const { from, to, companyId } = request.query;
        const scope = listScopeOf(request.principal, companyId);
        const days = await withReplicaRead(deps, request, scope, async (tx) => {
          await requireNamedCompany(tx, request.principal);
          if (request.principal.kind === 'superadmin' && companyId) {
            await audit(tx, request, request.principal, { companyId, action: 'company.stats.read', targetType: 'company', targetId: companyId });
          }
          return readDailyStats(tx, { from: from ?? null, to: to ?? null });
        });
        const average = (sum: number, count: number) => (count > 0 ? sum / count : null);
        const sum = (pick: (entry: (typeof days)[number]) => number) => days.reduce((total, entry) => total + pick(entry), 0);
        const calls = sum((entry) => entry.calls);
        const inbound = sum((entry) => entry.inboundCalls);
        const outbound = sum((entry) => entry.outboundCalls);
        return {
          totals: {
            calls,
            answeredCalls: sum((entry) => entry.answeredCalls),
            recordedSeconds: sum((entry) => entry.recordedSeconds),
            storedBytes: sum((entry) => entry.storedBytes),
            averageTalkRatio: average(
              sum((entry) => entry.talkRatioSum),
              sum((entry) => entry.talkRatioCount),
            ),
          },
          byStatus: {
            stored: sum((entry) => entry.recordingsStored),
            failed: sum((entry) => entry.recordingsFailed),
            other: sum((entry) => entry.recordingsOther),
          },
          byDirection: { inbound, outbound, other: calls - inbound - outbound },
          byDay: days.map((entry) => ({
            day: entry.day,
            calls: entry.calls,
            answeredCalls: entry.answeredCalls,
            recordedSeconds: entry.recordedSeconds,
            storedBytes: entry.storedBytes,
            averageTalkRatio: average(entry.talkRatioSum, entry.talkRatioCount),
          })),
        };
      },
    );
}
