import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { iso, timestamp } from '../../openapi/formats';
import { getProviderAccount, openProviderSecrets, type ProviderAccount, type VapiSecrets } from '@callvault/db';
import type { SecretBox } from '@callvault/crypto';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
import type { GatewayDeps } from '../../gateway-deps';
import { auditSuperadminRead, companyIdFrom, withAdminCompany } from './admin-access';
import { BadRequestError } from '../../errors';
import { proveVapiOrg } from './provider-proof';
import { checkSharingRights, readRegistration, writeRegistration } from './provider-registration';
import type { SecretBoxSource } from './secret-box-source';

const companyId = z.string().uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');
const secret = (what: string) =>
  z.string().min(8).max(512).nullable().optional().describe(`${what}; write-only: omit to keep the stored one (same orgId only), null to remove it`);
const SECRET_FIELDS = ['apiKey', 'webhookSecret', 'webhookHmacKey'] as const;

const putBody = z
  .object({
    companyId,
    orgId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected a VAPI org id'),
    apiKey: z
      .string()
      .min(8)
      .max(512)
      .optional()
      .describe(
        'VAPI private API key, required: it proves the org (GET /org/{orgId}) and fetches recordings; write-only, omit to keep the stored one (same orgId only)',
      ),
    webhookSecret: secret('checked against X-Vapi-Secret or Authorization: Bearer'),
    webhookHmacKey: secret('HMAC key of x-signature'),
    shared: z.boolean().optional().describe('superadmin only: one org registered for several companies, told apart by their numbers'),
  })
  .strict();

const vapiSettingsDto = z
  .object({
    configured: z.boolean(),
    orgId: z.string().nullable(),
    apiKeySet: z.boolean(),
    webhookSecretSet: z.boolean(),
    webhookHmacKeySet: z.boolean(),
    shared: z.boolean(),
    provenAt: timestamp.nullable().describe('when VAPI last confirmed the API key belongs to the org'),
    updatedAt: timestamp.nullable(),
  })
  .meta({ id: 'VapiSettings' });

const PUT_DESCRIPTION =
  'Replaces the VAPI settings. The org is proven with VAPI (GET /org/{orgId} with the private API key) before anything is saved: 422 provider_credentials_invalid when VAPI refuses the key, 503 provider_unavailable when it cannot be asked. An org another company holds answers 409 provider_account_unavailable. A secret omitted is kept while orgId stays the same, null removes it; a new orgId drops the secrets of the old one.';

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem, 503: problem };

function viewOf(box: SecretBox, account: ProviderAccount | undefined): z.infer<typeof vapiSettingsDto> {
  if (!account)
    return {
      configured: false,
      orgId: null,
      apiKeySet: false,
      webhookSecretSet: false,
      webhookHmacKeySet: false,
      shared: false,
      provenAt: null,
      updatedAt: null,
    };
  const secrets = openProviderSecrets<VapiSecrets>(box, account);
  return {
    configured: true,
    orgId: account.external_id,
    apiKeySet: Boolean(secrets.apiKey),
    webhookSecretSet: Boolean(secrets.webhookSecret),
    webhookHmacKeySet: Boolean(secrets.webhookHmacKey),
    shared: account.shared,
    provenAt: iso(account.proven_at),
    updatedAt: account.updated_at.toISOString(),
  };
}

/** Secrets belong to the org they were given for: kept when omitted for the same orgId, dropped when it changes. */
function mergeSecrets(body: z.infer<typeof putBody>, existing: { orgId: string; secrets: VapiSecrets } | undefined): VapiSecrets & { apiKey: string } {
  const kept = existing?.orgId === body.orgId ? existing.secrets : {};
  const merged: VapiSecrets = {};
  for (const field of SECRET_FIELDS) {
    const value = body[field] === undefined ? kept[field] : (body[field] ?? undefined);
    if (value) merged[field] = value;
  }
  if (!merged.apiKey)
    throw new BadRequestError(
      existing?.orgId === body.orgId ? 'apiKey is required: it proves the org' : 'apiKey is required for a new orgId: it proves the org',
    );
  return { ...merged, apiKey: merged.apiKey };
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

  routes.put(
    '/v1/settings/vapi',
    { schema: { ...schema, description: PUT_DESCRIPTION, body: putBody, response: { 200: vapiSettingsDto, ...errors } } },
    async (request) => {
      const box = secretBox();
      const body = request.body;
      const { companyId: targetCompanyId, existing } = await readRegistration(deps, request, companyIdFrom(request.query, body), 'vapi');
      checkSharingRights(request, body.shared, existing);
      const stored = existing ? { orgId: existing.external_id, secrets: openProviderSecrets<VapiSecrets>(box, existing) } : undefined;
      const secrets = mergeSecrets(body, stored);
      const changed = [
        ...(stored?.orgId !== body.orgId ? ['orgId'] : []),
        ...SECRET_FIELDS.filter((field) => body[field] !== undefined || Boolean(stored?.secrets[field]) !== Boolean(secrets[field])),
      ];
      // Changing the org or any secret proves the org again, as does a registration from before the check.
      const proving = !existing || existing.proven_at === null || changed.length > 0;
      if (proving) await proveVapiOrg(deps.config, body.orgId, secrets.apiKey);
      const shared = body.shared ?? existing?.shared ?? false;
      const account = await writeRegistration(deps, request, box, {
        companyId: targetCompanyId,
        before: existing,
        registration: {
          provider: 'vapi',
          externalId: body.orgId,
          secrets,
          settings: existing?.settings ?? {},
          shared,
          ...(proving ? { proven: true as const } : {}),
        },
        audit: (tx, written) =>
          audit(tx, request, request.principal, {
            companyId: tx.scope.companyId,
            action: 'settings.vapi.update',
            targetType: 'provider_account',
            targetId: written.id,
            details: {
              orgId: written.external_id,
              created: !existing,
              proven: proving,
              shared,
              changed: [...changed, ...((existing?.shared ?? false) !== shared ? ['shared'] : [])],
            },
          }),
      });
      return viewOf(box, account);
    },
  );
}
