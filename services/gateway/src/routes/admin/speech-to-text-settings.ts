import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getSpeechToTextChoice, setSpeechToTextChoice, type CompanyTx } from '@callvault/db';
import { audit } from '../../audit';
import { iso } from '../../openapi/formats';
import { problem } from '../../openapi/problem';
import type { GatewayDeps } from '../../gateway-deps';
import { auditSuperadminRead, companyIdFrom, withAdminCompany } from './admin-access';

const companyId = z.string().uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');

const choice = z
  .enum(['deepgram', 'openai', 'none'])
  .describe(
    "who transcribes recordings that bring no provider transcript: Deepgram, the deployment's OpenAI-compatible server (/v1/audio/transcriptions), or nobody. A service the deployment does not configure leaves transcripts `unavailable`.",
  );

const settingsDto = z.object({ speechToText: choice, updatedAt: z.string().nullable() });

async function viewOf(tx: CompanyTx): Promise<z.infer<typeof settingsDto>> {
  const current = await getSpeechToTextChoice(tx);
  return { speechToText: current.speechToText, updatedAt: iso(current.updatedAt) };
}

const errors = { 400: problem, 401: problem, 403: problem, 404: problem };

/**
 * company_admin (own company) and superadmin: which speech-to-text service hears the company's
 * audio. Only servers the operator configured are ever used; a company names no URL of its own here.
 */
export function registerSpeechToTextSettingsRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schema = { tags: ['settings'], querystring: z.object({ companyId }).strict() };

  routes.get('/v1/settings/speech-to-text', { schema: { ...schema, response: { 200: settingsDto, ...errors } } }, async (request) =>
    withAdminCompany(deps, request, request.query.companyId, async (tx) => {
      await auditSuperadminRead(tx, request, { action: 'settings.speech-to-text.read', targetType: 'company', targetId: tx.scope.companyId });
      return viewOf(tx);
    }),
  );

  routes.put(
    '/v1/settings/speech-to-text',
    { schema: { ...schema, body: z.object({ companyId, speechToText: choice }).strict(), response: { 200: settingsDto, ...errors } } },
    async (request) =>
      withAdminCompany(deps, request, companyIdFrom(request.query, request.body), async (tx) => {
        await setSpeechToTextChoice(tx, request.body.speechToText);
        await audit(tx, request, request.principal, {
          companyId: tx.scope.companyId,
          action: 'settings.speech-to-text.update',
          targetType: 'company',
          targetId: tx.scope.companyId,
          details: { speechToText: request.body.speechToText },
        });
        return viewOf(tx);
      }),
  );
}
