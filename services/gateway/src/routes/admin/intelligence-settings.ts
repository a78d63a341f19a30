import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getIntelligenceSettings, sealModelKey, upsertIntelligenceSettings } from '@callvault/db';
import { endpointUrlProblem } from '@callvault/outbound-events';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
import { BadRequestError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { auditSuperadminRead, companyIdFrom, withAdminCompany } from './admin-access';
import type { SecretBoxSource } from './secret-box-source';

const companyId = z.string().uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');

const MAX_QUESTIONS = 30;

const question = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and dashes, at most 64')
      .describe('stable across edits: answers are reported per question id'),
    text: z.string().trim().min(3).max(500),
  })
  .strict();

const putBody = z
  .object({
    companyId,
    enabled: z.boolean().describe('analyse every new transcript of the company with a language model'),
    scorecardQuestions: z
      .array(question)
      .max(MAX_QUESTIONS)
      .refine((questions) => new Set(questions.map((entry) => entry.id)).size === questions.length, 'question ids must be unique'),
    modelBaseUrl: z.string().max(2048).nullable().describe("the company's own OpenAI-compatible server, up to /v1; null uses the deployment's"),
    modelName: z.string().trim().min(1).max(200).nullable(),
    modelApiKey: z.string().min(1).max(500).nullable().optional().describe('write-only; omit to keep the stored key, null removes it'),
  })
  .strict();

/** What a GET may show: whether a key is set, never the key. */
const intelligenceSettingsDto = z.object({
  enabled: z.boolean(),
  scorecardQuestions: z.array(z.object({ id: z.string(), text: z.string() })),
  modelBaseUrl: z.string().nullable(),
  modelName: z.string().nullable(),
  modelApiKeySet: z.boolean(),
  updatedAt: z.string().nullable(),
});

type Row = NonNullable<Awaited<ReturnType<typeof getIntelligenceSettings>>>;

function viewOf(row: Row | undefined): z.infer<typeof intelligenceSettingsDto> {
  return {
    enabled: row?.enabled ?? false,
    scorecardQuestions: row?.scorecard_questions ?? [],
    modelBaseUrl: row?.model_base_url ?? null,
    modelName: row?.model_name ?? null,
    modelApiKeySet: Boolean(row?.model_key_sealed),
    updatedAt: row?.updated_at.toISOString() ?? null,
  };
}

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 503: problem };

/** company_admin (own company) and superadmin: opt in to call analysis, the scorecard, the model server. */
export function registerIntelligenceSettingsRoutes(app: FastifyInstance, deps: GatewayDeps, secretBox: SecretBoxSource): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schema = { tags: ['settings'] };

  routes.get(
    '/v1/settings/intelligence',
    {
      schema: {
        ...schema,
        querystring: z.object({ companyId }).strict(),
        response: { 200: intelligenceSettingsDto, ...errors },
      },
    },
    async (request) =>
      withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        await auditSuperadminRead(tx, request, { action: 'settings.intelligence.read', targetType: 'company', targetId: tx.scope.companyId });
        return viewOf(await getIntelligenceSettings(tx));
      }),
  );

  routes.put(
    '/v1/settings/intelligence',
    {
      schema: {
        ...schema,
        body: putBody,
        querystring: z.object({ companyId }).strict(),
        response: { 200: intelligenceSettingsDto, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      if (body.modelBaseUrl !== null) {
        // The key and the transcripts go where this points: the same rules as webhook endpoints.
        const problem = endpointUrlProblem(body.modelBaseUrl, { allowLoopbackHttp: deps.config.NODE_ENV !== 'production' });
        if (problem) throw new BadRequestError(problem.replace(/^url/, 'modelBaseUrl'));
      }
      if (body.modelApiKey && body.modelBaseUrl === null)
        throw new BadRequestError('modelApiKey needs modelBaseUrl: the deployment key is set by the operator');
      const box = body.modelApiKey ? secretBox() : undefined;
      return withAdminCompany(deps, request, companyIdFrom(request.query, body), async (tx) => {
        const before = await getIntelligenceSettings(tx);
        // A key belongs to the server it was given for: a new server without a new key loses the old one.
        const serverChanged = (before?.model_base_url ?? null) !== body.modelBaseUrl;
        const modelKeySealed =
          body.modelApiKey === undefined
            ? serverChanged
              ? null
              : undefined
            : body.modelApiKey === null
              ? null
              : sealModelKey(box!, tx.scope.companyId, body.modelApiKey);
        await upsertIntelligenceSettings(tx, {
          enabled: body.enabled,
          scorecardQuestions: body.scorecardQuestions,
          modelBaseUrl: body.modelBaseUrl,
          modelName: body.modelName,
          modelKeySealed,
        });
        await audit(tx, request, request.principal, {
          companyId: tx.scope.companyId,
          action: 'settings.intelligence.update',
          targetType: 'company',
          targetId: tx.scope.companyId,
          details: {
            enabled: body.enabled,
            questions: body.scorecardQuestions.length,
            modelBaseUrl: body.modelBaseUrl,
            modelName: body.modelName,
            modelApiKey: body.modelApiKey === undefined ? (serverChanged ? 'removed' : 'kept') : body.modelApiKey === null ? 'removed' : 'replaced',
          },
        });
        return viewOf(await getIntelligenceSettings(tx));
      });
    },
  );
}
