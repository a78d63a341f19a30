import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VapiSecrets } from '@callvault/db';
import { candidatesOf, describeIssues, envelope, isStoredVapiType, vapiIntakeEvent, type RegisteredAccount } from '@callvault/events';
import { containsNul } from '@callvault/service-kit';
import { MalformedEventError, StoreUnavailableError, UnsupportedMediaTypeError, VapiUnauthorizedError } from '../errors';
import type { IngestDeps } from '../ingest-deps';
import { storeNulRejection } from '../nul-rejection';
import { storeAndReply } from '../store-and-reply';
import { answerAssistantRequest } from './assistant-request';
import { isAuthenticVapiRequest, type VapiAuthHeaders } from './vapi-auth';

const VAPI_BODY_LIMIT = 8 * 1024 * 1024;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function credentialHeaders(request: FastifyRequest): VapiAuthHeaders {
  return {
    secret: header(request, 'x-vapi-secret'),
    bearer: header(request, 'authorization')?.match(/^Bearer (.+)$/)?.[1],
    signature: header(request, 'x-signature'),
    timestamp: header(request, 'x-timestamp'),
  };
}

export function registerVapiRoutes(app: FastifyInstance, deps: IngestDeps): void {
  app.post(
    '/webhooks/vapi',
    {
      bodyLimit: VAPI_BODY_LIMIT,
      // A request with no credential at all is refused before its (up to 8 MiB) body is read.
      onRequest: async (request) => {
        const headers = credentialHeaders(request);
        if (!headers.secret && !headers.bearer && !(headers.signature && headers.timestamp)) {
          deps.metrics.webhooks.inc({ provider: 'vapi', type: 'unknown', outcome: 'unauthenticated' });
          throw new VapiUnauthorizedError();
        }
      },
    },
    (request, reply) => handleVapiWebhook(deps, request, reply),
  );
}

/**
 * The org's registrations whose own credential (shared secret or HMAC key) authenticated the
 * request: only those companies may own it. Every registration is checked; a miss re-reads
 * (rate-limited), so a secret changed a moment ago works.
 */
async function authenticate(deps: IngestDeps, orgId: string, headers: VapiAuthHeaders, raw: Buffer): Promise<RegisteredAccount[]> {
  const verifying = (accounts: RegisteredAccount[]) => accounts.filter((entry) => isAuthenticVapiRequest(entry.secrets as VapiSecrets, headers, raw));
  const verified = verifying(await deps.directory.lookup('vapi', orgId));
  return verified.length > 0 ? verified : verifying(await deps.directory.lookup('vapi', orgId, { fresh: true }));
}

async function handleVapiWebhook(deps: IngestDeps, request: FastifyRequest, reply: FastifyReply) {
  const raw = request.body as Buffer;
  if (!Buffer.isBuffer(raw)) throw new UnsupportedMediaTypeError('application/json');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new MalformedEventError('body is not valid JSON');
  }
  const head = envelope.safeParse(json);
  if (!head.success) throw new MalformedEventError(`not a VAPI server message: ${describeIssues(head.error)}`);
  const { type, call } = head.data.message;
  const orgId = call.orgId;
  let verified: RegisteredAccount[];
  try {
    verified = await authenticate(deps, orgId, credentialHeaders(request), raw);
  } catch (error) {
    request.log.error({ err: error }, 'credential lookup failed');
    throw new StoreUnavailableError();
  }
  if (verified.length === 0) {
    // Nothing from an unauthenticated body becomes a label or a log field.
    deps.metrics.webhooks.inc({ provider: 'vapi', type: 'unknown', outcome: 'unauthenticated' });
    request.log.warn('vapi authentication failed');
    throw new VapiUnauthorizedError();
  }
  const candidates = candidatesOf(verified.map((entry) => entry.account));
  const requestPath = (request.raw.url ?? request.url).split('?')[0] ?? '';
  const label = isStoredVapiType(type) || type === 'assistant-request' ? type : 'other';

  if (type === 'assistant-request' && !containsNul(json)) return answerAssistantRequest(deps, request, reply, candidates, json);
  if (label === 'other') {
    deps.metrics.webhooks.inc({ provider: 'vapi', type: 'other', outcome: 'ignored' });
    return reply.code(204).send();
  }

  return storeAndReply(deps, request, reply, {
    provider: 'vapi',
    type: label,
    async store() {
      if (containsNul(json)) {
        return storeNulRejection(deps, {
          provider: 'vapi',
          eventType: label,
          externalAccountId: orgId,
          payload: json as Record<string, unknown>,
          rawBody: raw,
          requestPath,
          candidates,
        });
      }
      const event = vapiIntakeEvent(deps.resolution, { type, body: json as Record<string, unknown>, raw, orgId, candidates, requestPath });
      return { ...(await deps.intake.store(event)), rejectReason: event.rejectReason };
    },
  });
}
