import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { iso, timestamp } from '../../openapi/formats';
import { getProviderAccount, openProviderSecrets, type ProviderAccount, type TwilioSecrets } from '@callvault/db';
import type { SecretBox } from '@callvault/crypto';
import { DELETE_FROM_PROVIDER_ON_ERASURE } from '@callvault/erasure';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
import type { GatewayDeps } from '../../gateway-deps';
import { auditSuperadminRead, companyIdFrom, withAdminCompany } from './admin-access';
import { BadRequestError } from '../../errors';
import { proveTwilioAccount } from './provider-proof';
import { checkSharingRights, readRegistration, writeRegistration } from './provider-registration';
import type { SecretBoxSource } from './secret-box-source';

const companyId = z.string().uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');

const putBody = z
  .object({
    companyId,
    accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'expected AC followed by 32 hex digits'),
    authToken: z.string().min(8).max(256).optional().describe('write-only; omit to keep the stored one (same accountSid only)'),
    apiKeySid: z
      .string()
      .regex(/^SK[0-9a-f]{32}$/, 'expected SK followed by 32 hex digits')
      .nullable()
      .optional()
      .describe('null removes the API key'),
    apiKeySecret: z.string().min(8).max(256).optional().describe('write-only; omit to keep the stored one (same apiKeySid only)'),
    deleteFromProviderAfterArchive: z.boolean().optional(),
    deleteFromProviderOnErasure: z.boolean().optional().describe("when a recording is erased here, Twilio's copy is deleted too"),
    shared: z.boolean().optional().describe('superadmin only: one account registered for several companies, told apart by their numbers'),
  })
  .strict();

/** What a GET may show: whether each secret is set, never a secret. */
const twilioSettingsDto = z
  .object({
    configured: z.boolean(),
    accountSid: z.string().nullable(),
    authTokenSet: z.boolean(),
    apiKeySid: z.string().nullable(),
    apiKeySecretSet: z.boolean(),
    deleteFromProviderAfterArchive: z.boolean(),
    deleteFromProviderOnErasure: z.boolean(),
    shared: z.boolean(),
    provenAt: timestamp.nullable().describe('when Twilio last confirmed the credentials own the account'),
    updatedAt: timestamp.nullable(),
  })
  .meta({ id: 'TwilioSettings' });

const PUT_DESCRIPTION =
  'Replaces the Twilio settings. The credentials are proven with Twilio (GET /2010-04-01/Accounts/{AccountSid}.json) before anything is saved: 422 provider_credentials_invalid when Twilio refuses them, 503 provider_unavailable when it cannot be asked. An account another company holds answers 409 provider_account_unavailable. Omitted secrets are kept while accountSid (and apiKeySid) stay the same; a first configuration or a new accountSid needs authToken, a new apiKeySid needs apiKeySecret; apiKeySid: null removes the API key.';

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem, 503: problem };

function viewOf(box: SecretBox, account: ProviderAccount | undefined): z.infer<typeof twilioSettingsDto> {
  if (!account) {
    return {
      configured: false,
      accountSid: null,
      authTokenSet: false,
      apiKeySid: null,
      apiKeySecretSet: false,
      deleteFromProviderAfterArchive: false,
      deleteFromProviderOnErasure: false,
      shared: false,
      provenAt: null,
      updatedAt: null,
    };
  }
  const secrets = openProviderSecrets<TwilioSecrets>(box, account);
  return {
    configured: true,
    accountSid: account.external_id,
    authTokenSet: Boolean(secrets.authToken),
    apiKeySid: secrets.apiKeySid ?? null,
    apiKeySecretSet: Boolean(secrets.apiKeySecret),
    deleteFromProviderAfterArchive: account.settings.deleteFromProviderAfterArchive === true,
    deleteFromProviderOnErasure: account.settings[DELETE_FROM_PROVIDER_ON_ERASURE] === true,
    shared: account.shared,
    provenAt: iso(account.proven_at),
    updatedAt: account.updated_at.toISOString(),
  };
}

/**
 * Stored secrets belong to the account they were given for: they are kept when a PUT omits them
 * for the same AccountSid (or API key), and must be given again when it changes.
 */
function mergeSecrets(body: z.infer<typeof putBody>, existing: { accountSid: string; secrets: TwilioSecrets } | undefined): TwilioSecrets {
  const kept = existing?.accountSid === body.accountSid ? existing.secrets : undefined;
  const authToken = body.authToken ?? kept?.authToken;
  if (!authToken) throw new BadRequestError(existing ? 'authToken is required when accountSid changes' : 'authToken is required to configure Twilio');
  const apiKeySid = body.apiKeySid === undefined ? kept?.apiKeySid : (body.apiKeySid ?? undefined);
  const apiKeySecret = body.apiKeySecret ?? (apiKeySid && apiKeySid === kept?.apiKeySid ? kept.apiKeySecret : undefined);
  if (apiKeySid && !apiKeySecret) throw new BadRequestError('apiKeySecret is required with a new apiKeySid');
  if (!apiKeySid && body.apiKeySecret) throw new BadRequestError('apiKeySecret needs apiKeySid');
  return { authToken, ...(apiKeySid ? { apiKeySid, apiKeySecret } : {}) };
}

const sameSecrets = (a: TwilioSecrets, b: TwilioSecrets | undefined) =>
  b !== undefined && a.authToken === b.authToken && a.apiKeySid === b.apiKeySid && a.apiKeySecret === b.apiKeySecret;

export function registerTwilioSettingsRoutes(app: FastifyInstance, deps: GatewayDeps, secretBox: SecretBoxSource): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schema = { tags: ['settings'] };

  routes.get(
    '/v1/settings/twilio',
    { schema: { ...schema, querystring: z.object({ companyId }).strict(), response: { 200: twilioSettingsDto, ...errors } } },
    async (request) => {
      const box = secretBox();
      return withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        const account = await getProviderAccount(tx, 'twilio');
        await auditSuperadminRead(tx, request, { action: 'settings.twilio.read', targetType: 'provider_account', targetId: account?.id ?? null });
        return viewOf(box, account);
      });
    },
  );

  routes.put(
    '/v1/settings/twilio',
    {
      schema: {
        ...schema,
        description: PUT_DESCRIPTION,
        body: putBody,
        querystring: z.object({ companyId }).strict(),
        response: { 200: twilioSettingsDto, ...errors },
      },
    },
    async (request) => {
      const box = secretBox();
      const body = request.body;
      const { companyId: targetCompanyId, existing } = await readRegistration(deps, request, companyIdFrom(request.query, body), 'twilio');
      checkSharingRights(request, body.shared, existing);
      const stored = existing ? { accountSid: existing.external_id, secrets: openProviderSecrets<TwilioSecrets>(box, existing) } : undefined;
      const secrets = mergeSecrets(body, stored);
      // New credentials, a new account, or a registration from before the check: Twilio must confirm them.
      const proving = !existing || existing.proven_at === null || stored?.accountSid !== body.accountSid || !sameSecrets(secrets, stored?.secrets);
      if (proving) await proveTwilioAccount(deps.config, { accountSid: body.accountSid, ...secrets });
      const deleteAfter = body.deleteFromProviderAfterArchive ?? existing?.settings.deleteFromProviderAfterArchive === true;
      const deleteOnErasure = body.deleteFromProviderOnErasure ?? existing?.settings[DELETE_FROM_PROVIDER_ON_ERASURE] === true;
      const shared = body.shared ?? existing?.shared ?? false;
      const account = await writeRegistration(deps, request, box, {
        companyId: targetCompanyId,
        before: existing,
        registration: {
          provider: 'twilio',
          externalId: body.accountSid,
          secrets,
          settings: { ...(existing?.settings ?? {}), deleteFromProviderAfterArchive: deleteAfter, [DELETE_FROM_PROVIDER_ON_ERASURE]: deleteOnErasure },
          shared,
          ...(proving ? { proven: true as const } : {}),
        },
        audit: (tx, written) =>
          audit(tx, request, request.principal, {
            companyId: tx.scope.companyId,
            action: 'settings.twilio.update',
            targetType: 'provider_account',
            targetId: written.id,
            details: {
              accountSid: written.external_id,
              created: !existing,
              proven: proving,
              shared,
              changed: [
                ...(stored?.accountSid !== body.accountSid ? ['accountSid'] : []),
                ...(body.authToken ? ['authToken'] : []),
                ...(stored?.secrets.apiKeySid !== secrets.apiKeySid ? ['apiKeySid'] : []),
                ...(body.apiKeySecret ? ['apiKeySecret'] : []),
                ...((existing?.settings.deleteFromProviderAfterArchive === true) !== deleteAfter ? ['deleteFromProviderAfterArchive'] : []),
                ...((existing?.settings[DELETE_FROM_PROVIDER_ON_ERASURE] === true) !== deleteOnErasure ? [DELETE_FROM_PROVIDER_ON_ERASURE] : []),
                ...((existing?.shared ?? false) !== shared ? ['shared'] : []),
              ],
            },
          }),
      });
      return viewOf(box, account);
    },
  );
}
