import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signTenantTag } from '@callvault/crypto';
import { findNumberMatches, findPendingCallOwner, findVapiCallOwner, withPlatform, type CompanyTx, type PlatformTx, type VapiSecrets } from '@callvault/db';
import type { QueuedJob } from '@callvault/queue';
import type { z } from 'zod';
import { containsNul } from '@callvault/service-kit';
import { StoreUnavailableError, VapiUnauthorizedError } from '../errors';
import type { IngestDeps } from '../ingest-deps';
import type { RegisteredAccount } from '../provider-directory';
import { candidatesOf, numberMatchFor, registryLookupOf, resolveTenant, type Candidates } from '../tenant-resolution';
import { storeNulRejection } from '../nul-rejection';
import type { EventEffects, PreparedEvent } from '../event-intake';
import { describeIssues } from '../twilio/twilio-events';
import { isAuthenticVapiRequest, type VapiAuthHeaders } from './vapi-auth';
import { applyEndOfCallReport, applyStatusUpdate } from './vapi-effects';
import { assistantRequestMessage, endOfCallReportMessage, envelope, statusUpdateMessage, tagOf, vapiNumbers, type VapiCallFields } from './vapi-events';

const VAPI_BODY_LIMIT = 8 * 1024 * 1024;
const ASSISTANT_DEADLINE_MS = 1_800;
const ASSISTANT_TAG_TTL_SECONDS = 24 * 3600;

interface Handled<S extends z.ZodTypeAny> {
  schema: S;
  idempotencyKey: (orgId: string, message: z.infer<S>) => string;
  apply: (tx: CompanyTx, message: z.infer<S>, ownerUserId: string | null) => Promise<QueuedJob[]>;
}

const defineHandled = <S extends z.ZodTypeAny>(handled: Handled<S>) => handled as unknown as Handled<z.ZodTypeAny>;

/** The types callvault stores; every other type is acknowledged and ignored. */
const HANDLED: Record<string, Handled<z.ZodTypeAny>> = {
  'status-update': defineHandled({
    schema: statusUpdateMessage,
    idempotencyKey: (orgId, message) => `vapi:${orgId}:${message.call.id}:status-update:${message.status}`,
    apply: applyStatusUpdate,
  }),
  'end-of-call-report': defineHandled({
    schema: endOfCallReportMessage,
    idempotencyKey: (orgId, message) => `vapi:${orgId}:${message.call.id}:end-of-call-report`,
    apply: applyEndOfCallReport,
  }),
};

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

/** Tenant resolution and effects of a parsed VAPI message (webhook and replay alike). */
export async function prepareVapiEvent(deps: IngestDeps, tx: PlatformTx, type: string, message: unknown, candidates: Candidates): Promise<PreparedEvent> {
  const handled = HANDLED[type];
  if (!handled) throw new Error(`unhandled VAPI message type ${type}`);
  const event = message as { call: VapiCallFields; phoneNumber?: { number?: string }; customer?: { number?: string } };
  const numbers = vapiNumbers(event);
  const companyIds = candidates.companyIds;
  const numberMatches = await findNumberMatches(tx, registryLookupOf(numbers), companyIds);
  // A call whose first events are acknowledged but not yet applied is decided all the same; with
  // one candidate company that cannot change the outcome, so the second lookup is skipped.
  const existingCall = (await findVapiCallOwner(tx, event.call.id, companyIds)) ?? (companyIds.length > 1 ? await findPendingCallOwner(tx, 'vapi', event.call.id, companyIds) : undefined);
  const resolution = resolveTenant(deps.config.TAG_SIGNING_KEY, { candidates, tag: tagOf(event.call), numberMatches, from: numbers.from, to: numbers.to, existingCall });
  if (resolution.tagRejected) deps.metrics.tagsRejected.inc({ provider: 'vapi' });
  return {
    resolution,
    effects: resolution.kind === 'resolved' ? vapiEffects(type, message, resolution.ownerUserId) : undefined,
    // Several candidates: a call that becomes known later (its other events) may still decide it.
    lookUpTenant: resolution.kind === 'quarantined' && companyIds.length > 1,
  };
}

/** The effects of a parsed VAPI message in its resolved company (on arrival or from the event store). */
export function vapiEffects(type: string, message: unknown, ownerUserId: string | null): EventEffects {
  const handled = HANDLED[type];
  if (!handled) throw new Error(`unhandled VAPI message type ${type}`);
  return { apply: (companyTx) => handled.apply(companyTx, message, ownerUserId) };
}

export function parseVapiMessage(type: string, message: unknown) {
  const handled = HANDLED[type];
  return handled ? handled.schema.safeParse(message) : undefined;
}

async function handleVapiWebhook(deps: IngestDeps, request: FastifyRequest, reply: FastifyReply) {
  const raw = request.body as Buffer;
  if (!Buffer.isBuffer(raw)) return reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', code: 'unsupported_media_type', message: 'send application/json' });
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'malformed_event', message: 'body is not valid JSON' });
  }
  const head = envelope.safeParse(json);
  if (!head.success) {
    return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'malformed_event', message: `not a VAPI server message: ${describeIssues(head.error)}` });
  }
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
  const label = type in HANDLED || type === 'assistant-request' ? type : 'other';

  if (containsNul(json)) {
    const outcome = await storeNulRejection(deps, { provider: 'vapi', eventType: label, externalAccountId: orgId, payload: json as Record<string, unknown>, rawBody: raw, requestPath, candidates }).catch((error: unknown) => {
      request.log.error({ err: error, type: label }, 'event store failed');
      deps.metrics.webhooks.inc({ provider: 'vapi', type: label, outcome: 'unavailable' });
      throw new StoreUnavailableError();
    });
    deps.metrics.webhooks.inc({ provider: 'vapi', type: label, outcome: outcome.outcome });
    return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'malformed_event', message: outcome.rejectReason });
  }
  if (type === 'assistant-request') return answerAssistantRequest(deps, request, reply, candidates, json);
  const handled = HANDLED[type];
  if (!handled) {
    deps.metrics.webhooks.inc({ provider: 'vapi', type: 'other', outcome: 'ignored' });
    return reply.code(204).send();
  }

  const message = (json as { message: unknown }).message;
  const parsed = handled.schema.safeParse(message);
  let outcome;
  try {
    if (!parsed.success) {
      const reason = describeIssues(parsed.error);
      await deps.intake.store({
        provider: 'vapi',
        eventType: type,
        idempotencyKey: `vapi:rejected:${createHash('sha256').update(raw).digest('hex')}`,
        externalAccountId: orgId,
        callRef: call.id ?? null,
        payload: json as Record<string, unknown>,
        requestPath,
        authenticatedCompanyIds: candidates.companyIds,
        rejectReason: reason,
      });
      deps.metrics.webhooks.inc({ provider: 'vapi', type, outcome: 'rejected' });
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'malformed_event', message: reason });
    }
    outcome = await deps.intake.store({
      provider: 'vapi',
      eventType: type,
      idempotencyKey: handled.idempotencyKey(orgId, parsed.data),
      externalAccountId: orgId,
      callRef: (parsed.data as { call: VapiCallFields }).call.id,
      payload: json as Record<string, unknown>,
      requestPath,
      authenticatedCompanyIds: candidates.companyIds,
      prepare: (tx) => prepareVapiEvent(deps, tx, type, parsed.data, candidates),
    });
  } catch (error) {
    request.log.error({ err: error, type }, 'event store failed');
    deps.metrics.webhooks.inc({ provider: 'vapi', type, outcome: 'unavailable' });
    throw new StoreUnavailableError();
  }
  deps.metrics.webhooks.inc({ provider: 'vapi', type, outcome: outcome.outcome });
  request.log.info({ type, outcome: outcome.outcome, eventId: outcome.eventId }, 'vapi event');
  return reply.code(outcome.outcome === 'quarantined' ? 202 : 204).send();
}

/**
 * Picks the assistant of the registered number and hands VAPI our signed tenant tag, which then
 * rides on every later message of the call. The number is chosen as in tenant resolution
 * (calling number first, then the number called) among the companies whose own credential
 * authenticated the request; answered well inside VAPI's 7.5 s (our budget: 2 s). An unregistered
 * number gets `{ error }`, which rejects the call.
 */
async function answerAssistantRequest(deps: IngestDeps, request: FastifyRequest, reply: FastifyReply, candidates: Candidates, json: unknown) {
  const parsed = assistantRequestMessage.safeParse((json as { message: unknown }).message);
  if (!parsed.success) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'malformed_event', message: describeIssues(parsed.error) });
  const numbers = vapiNumbers(parsed.data);
  const lookup = withPlatform(deps.db, (tx) => findNumberMatches(tx, registryLookupOf(numbers), candidates.companyIds));
  const deadline = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ASSISTANT_DEADLINE_MS).unref());
  const matches = await Promise.race([lookup, deadline]).catch(() => 'timeout' as const);
  deps.metrics.webhooks.inc({ provider: 'vapi', type: 'assistant-request', outcome: matches === 'timeout' ? 'unavailable' : 'answered' });
  if (matches === 'timeout') return reply.code(200).send({ error: 'callvault could not look up this number in time' });
  const match = numberMatchFor(matches, numbers, candidates.companyIds);
  if (!match?.vapi_assistant_id) return reply.code(200).send({ error: 'this number is not registered with callvault' });
  const tag = signTenantTag(deps.config.TAG_SIGNING_KEY, {
    companyId: match.company_id,
    ownerUserId: match.owner_user_id,
    expiresAt: new Date(Date.now() + ASSISTANT_TAG_TTL_SECONDS * 1000),
  });
  request.log.info({ companyId: match.company_id }, 'assistant-request answered');
  return reply.code(200).send({ assistantId: match.vapi_assistant_id, assistantOverrides: { metadata: { callvault: tag } } });
}
