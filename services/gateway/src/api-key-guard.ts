import type { FastifyInstance } from 'fastify';
import { withCompany, type Db } from '@callvault/db';
import { audit } from './audit';
import { ForbiddenError } from './errors';
import { isReadMethod } from './read-methods';

/**
 * What an API key may do beyond its user's rights, and the record of what it did: a read-only
 * key gets 403 on any write before the route runs, and every request a key makes leaves an
 * `api_key.use` event (method, route, status) in its company's audit trail before it is answered.
 */
export function registerApiKeyGuard(v1: FastifyInstance, db: Db): void {
  // Before the body is validated: a read-only key learns nothing about a write but that it may not make one.
  v1.addHook('preValidation', async (request) => {
    const principal = request.principal;
    if (principal?.kind === 'user' && principal.apiKey?.readOnly && !isReadMethod(request.method)) throw new ForbiddenError('this API key is read-only');
  });
  // Written before the answer leaves (onSend), so a use that got an answer is in the trail.
  v1.addHook('onSend', async (request, reply, payload) => {
    const principal = request.principal;
    if (principal?.kind !== 'user' || !principal.apiKey) return payload;
    const event = {
      action: 'api_key.use',
      targetType: 'api_key',
      targetId: principal.apiKey.id,
      details: { method: request.method, route: request.routeOptions.url ?? null, status: reply.statusCode },
    };
    await withCompany(db, principal.user.company_id, (tx) => audit(tx, request, principal, { companyId: principal.user.company_id, ...event })).catch(
      (error: unknown) => request.log.error({ err: error, apiKeyId: principal.apiKey?.id }, 'could not record the API key use'),
    );
    return payload;
  });
}
