import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { timestamp } from '../openapi/formats';
import { signTenantTag } from '@callvault/crypto';
import { findUserInScope, withReadScope } from '@callvault/db';
import { audit } from '../audit';
import { problem } from '../openapi/problem';
import { NotFoundError } from '../errors';
import type { GatewayDeps } from '../gateway-deps';
import { scopeOf } from '../principal';

/** Calls placed with a link should start within a day; their callbacks may arrive up to two days later. */
const LINK_TTL_SECONDS = 24 * 3600;

const body = z.object({ ownerUserId: z.string().uuid().optional().describe('defaults to the caller') }).strict();
const response = z.object({
  twilio: z.object({ statusCallback: z.string(), recordingStatusCallback: z.string(), transcribeCallback: z.string() }),
  vapi: z.object({ assistantOverrides: z.object({ metadata: z.object({ callvault: z.string() }) }) }),
  expiresAt: timestamp,
});

/**
 * Callback URLs and VAPI metadata carrying our signed tenant tag, for calls the company's own
 * systems place (a CRM campaign started by an agent): such a call is owned by that user. The tag
 * sits in the URL query, which Twilio's signature covers, so it cannot be swapped in transit.
 */
export function registerCallLinkRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .post(
      '/v1/call-links',
      { schema: { tags: ['calls'], body, response: { 200: response, 400: problem, 401: problem, 403: problem, 404: problem } } },
      async (request) => {
        const principal = request.principal;
        const ownerUserId = request.body.ownerUserId ?? (principal.kind === 'user' ? principal.user.id : undefined);
        if (!ownerUserId) throw new NotFoundError('user not found');
        const scope = scopeOf(principal);
        const owner = await withReadScope(deps.db, scope, async (tx) => {
          const user = await findUserInScope(tx, scope, ownerUserId);
          if (user) await audit(tx, request, principal, { companyId: user.company_id, action: 'call_link.create', targetType: 'user', targetId: user.id });
          return user;
        });
        if (!owner) throw new NotFoundError('user not found');
        const expiresAt = new Date(Date.now() + LINK_TTL_SECONDS * 1000);
        const tag = signTenantTag(deps.config.TAG_SIGNING_KEY!, { companyId: owner.company_id, ownerUserId: owner.id, expiresAt });
        const callback = (path: string) => `${deps.config.PUBLIC_BASE_URL}/webhooks/twilio/${path}?cv=${encodeURIComponent(tag)}`;
        return {
          twilio: {
            statusCallback: callback('call-status'),
            recordingStatusCallback: callback('recording-status'),
            transcribeCallback: callback('transcription'),
          },
          vapi: { assistantOverrides: { metadata: { callvault: tag } } },
          expiresAt: expiresAt.toISOString(),
        };
      },
    );
}
