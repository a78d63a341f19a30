import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getProviderAccount, lockProviderAccount, openProviderSecrets, upsertProviderAccount, type ProviderAccount, type VapiSecrets } from '@callvault/db';
import type { SecretBox } from '@callvault/crypto';
import { audit } from '../../audit';
import { errorDto } from '../../dto';
import type { GatewayDeps } from '../../gateway-deps';
import { auditSuperadminRead, companyIdFrom, translatingViolations, withAdminCompany } from './admin-access';
import type { SecretBoxSource } from './secret-box-source';

const companyId = z.string().uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');
const secret = (what: string) =>
  z.string().min(8).max(512).nullable().optional().describe(`${what}; write-only: omit to keep the stored one (same orgId only), null to remove it`);
const SECRET_FIELDS = ['apiKey', 'webhookSecret', 'webhookHmacKey'] as const;

const putBody = z
  .object({
    companyId,
    orgId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected a VAPI org id'),
    apiKey: secret('VAPI private API key'),
    webhookSecret: secret('checked against X-Vapi-Secret or Authorization: Bearer'),
    webhookHmacKey: secret('HMAC key of x-signature'),
  })
  .strict();

const vapiSettingsDto = z.object({
  configured: z.boolean(),
  orgId: z.string().nullable(),
  apiKeySet: z.boolean(),
  webhookSecretSet: z.boolean(),
  webhookHmacKeySet: z.boolean(),
  updatedAt: z.string().nullable(),
});

const PUT_DESCRIPTION =
  'Replaces the VAPI settings. A secret omitted is kept while orgId stays the same, null removes it; a new orgId drops the secrets of the old one.';

const errors = { 400: errorDto, 401: errorDto, 403: errorDto, 404: errorDto, 409: errorDto };

function viewOf(box: SecretBox, account: ProviderAccount | undefined): z.infer<typeof vapiSettingsDto> {
  if (!account) return { configured: false, orgId: null, apiKeySet: false, webhookSecretSet: false, webhookHmacKeySet: false, updatedAt: null };
  const secrets = openProviderSecrets<VapiSecrets>(box, account);
  return {
    configured: true,
    orgId: account.external_id,
    apiKeySet: Boolean(secrets.apiKey),
    webhookSecretSet: Boolean(secrets.webhookSecret),
    webhookHmacKeySet: Boolean(secrets.webhookHmacKey),
    updatedAt: account.updated_at.toISOString(),
  };
}

/** Secrets belong to the org they were given for: kept when omitted for the same orgId, dropped when it changes. */
function mergeSecrets(body: z.infer<typeof putBody>, existing: { orgId: string; secrets: VapiSecrets } | undefined): VapiSecrets {
  const kept = existing?.orgId === body.orgId ? existing.secrets : {};
  const merged: VapiSecrets = {};
  for (const field of SECRET_FIELDS) {
    const value = body[field] === undefined ? kept[field] : (body[field] ?? undefined);
    if (value) merged[field] = value;
  }
  return merged;
}

export function registerVapiSettingsRoutes(app: FastifyInstance, deps: GatewayDeps, secretBox: SecretBoxSource): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schema = { tags: ['settings'], querystring: z.object({ companyId }).strict() };

  routes.get('/v1/settings/vapi', { schema: { ...schema, response: { 200: vapiSettingsDto, ...errors } } }, async (request) => {
    const box = secretBox();
    return withAdminCompany(deps, request, request.query.companyId, async (tx) => {
      const account = await getProviderAccount(tx, 'vapi');
      await auditSuperadminRead(tx, request, { action: 'settings.vapi.read', targetType: 'provider_account', targetId: account?.id ?? null });
      return viewOf(box, account);
    });
  });

  routes.put('/v1/settings/vapi', { schema: { ...schema, description: PUT_DESCRIPTION, body: putBody, response: { 200: vapiSettingsDto, ...errors } } }, async (request) => {
    const box = secretBox();
    const body = request.body;
    return translatingViolations(
      () =>
        withAdminCompany(deps, request, companyIdFrom(request.query, body), async (tx) => {
          const existing = await lockProviderAccount(tx, 'vapi');
          const stored = existing ? { orgId: existing.external_id, secrets: openProviderSecrets<VapiSecrets>(box, existing) } : undefined;
          const secrets = mergeSecrets(body, stored);
          const account = await upsertProviderAccount(tx, box, { provider: 'vapi', externalId: body.orgId, secrets, settings: existing?.settings ?? {} });
          const changed = [
            ...(stored?.orgId !== body.orgId ? ['orgId'] : []),
            ...SECRET_FIELDS.filter((field) => body[field] !== undefined || Boolean(stored?.secrets[field]) !== Boolean(secrets[field])),
          ];
          await audit(tx, request, request.principal, {
            companyId: tx.scope.companyId,
            action: 'settings.vapi.update',
            targetType: 'provider_account',
            targetId: account.id,
            details: { orgId: account.external_id, created: !existing, changed },
          });
          return viewOf(box, account);
        }),
      { unique: 'VAPI settings were changed concurrently; retry' },
    );
  });
}
