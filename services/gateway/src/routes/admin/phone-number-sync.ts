import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getProviderAccount, importCompanyNumbers, openProviderSecrets, type TwilioSecrets } from '@callvault/db';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
import type { GatewayDeps } from '../../gateway-deps';
import { companyIdFrom, withAdminCompany } from './admin-access';
import { E164 } from './admin-dto';
import { ConflictError, ProviderNotConfiguredError } from '../../errors';
import { askingProvider } from './provider-proof';
import type { SecretBoxSource } from './secret-box-source';
import { createTwilioRest } from '@callvault/providers';

const companyId = z.string().uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');

const syncResult = z.object({
  imported: z.number().int().describe('registered now, as matchOn "to"'),
  alreadyRegistered: z.number().int().describe('this company had them already'),
  conflicts: z.number().int().describe('another company has them registered: left alone'),
  skipped: z.number().int().describe('not E.164 numbers (short codes, ...)'),
});

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem, 503: problem };

/**
 * Imports the company's incoming Twilio numbers into the registry. Twilio is called between two
 * transactions, never inside one: a slow provider must not hold a database connection.
 */
export function registerPhoneNumberSyncRoute(app: FastifyInstance, deps: GatewayDeps, secretBox: SecretBoxSource): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/phone-numbers/sync',
    {
      schema: {
        tags: ['phone-numbers'],
        querystring: z.object({ companyId }).strict(),
        body: z.object({ companyId }).strict().nullish().describe('optional'),
        response: { 200: syncResult, ...errors },
      },
    },
    async (request) => {
      const box = secretBox();
      const requested = companyIdFrom(request.query, request.body ?? {});
      const account = await withAdminCompany(deps, request, requested, async (tx) => {
        const found = await getProviderAccount(tx, 'twilio');
        if (!found) throw new ProviderNotConfiguredError('Twilio is not configured for this company');
        // A shared account's numbers belong to several companies: the operator assigns them one by one.
        if (found.shared) throw new ConflictError("this company's Twilio account is shared: its numbers are assigned one by one by the platform operator");
        return { companyId: tx.scope.companyId, id: found.id, accountSid: found.external_id, secrets: openProviderSecrets<TwilioSecrets>(box, found) };
      });
      const rest = createTwilioRest({ baseUrl: deps.config.TWILIO_API_BASE_URL, credentials: { accountSid: account.accountSid, ...account.secrets } });
      const incoming = await askingProvider(() => rest.incomingNumbers());
      const valid = incoming.filter((number) => E164.safeParse(number.phoneNumber).success);
      return withAdminCompany(deps, request, account.companyId, async (tx) => {
        const counts = await importCompanyNumbers(
          tx,
          valid.map((number) => ({ e164: number.phoneNumber, label: number.friendlyName?.trim().slice(0, 200) || null })),
        );
        const result = { ...counts, skipped: incoming.length - valid.length };
        await audit(tx, request, request.principal, {
          companyId: tx.scope.companyId,
          action: 'phone_number.sync',
          targetType: 'provider_account',
          targetId: account.id,
          details: { accountSid: account.accountSid, ...result },
        });
        return result;
      });
    },
  );
}
