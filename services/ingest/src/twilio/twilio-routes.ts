import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TwilioSecrets } from '@callvault/db';
import type { IngestDeps } from '../ingest-deps';
import { InvalidSignatureError, StoreUnavailableError } from '../errors';
import { intakeTwilioEvent, TWILIO_EVENTS, type TwilioKind } from './twilio-intake';
import { isValidTwilioSignature, parseForm, signedUrlFor, type TwilioParams } from './twilio-signature';

const TWILIO_BODY_LIMIT = 64 * 1024;

export function registerTwilioRoutes(app: FastifyInstance, deps: IngestDeps): void {
  for (const kind of Object.keys(TWILIO_EVENTS) as TwilioKind[]) {
    app.post(`/webhooks/twilio/${kind}`, { bodyLimit: TWILIO_BODY_LIMIT }, (request, reply) => handleTwilioWebhook(deps, kind, request, reply));
  }
}

async function authenticate(deps: IngestDeps, request: FastifyRequest, params: TwilioParams) {
  const accountSid = params.AccountSid;
  if (typeof accountSid !== 'string' || !/^AC[0-9a-f]{32}$/.test(accountSid)) return undefined;
  const url = signedUrlFor(deps.config.PUBLIC_BASE_URL, request.raw.url ?? request.url);
  const signature = request.headers['x-twilio-signature'];
  const check = async (fresh: boolean) => {
    const accounts = await deps.directory.lookup('twilio', accountSid, { fresh });
    const tokens = accounts.map((entry) => (entry.secrets as TwilioSecrets).authToken).filter(Boolean);
    return isValidTwilioSignature(tokens, typeof signature === 'string' ? signature : undefined, url, params) ? accounts : undefined;
  };
  // A miss re-reads the credentials once, so a token rotated a moment ago is honoured.
  return (await check(false)) ?? (await check(true));
}

async function handleTwilioWebhook(deps: IngestDeps, kind: TwilioKind, request: FastifyRequest, reply: FastifyReply) {
  if (typeof request.body !== 'string') {
    return reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', code: 'unsupported_media_type', message: 'send application/x-www-form-urlencoded' });
  }
  const params = parseForm(request.body);
  let accounts;
  try {
    accounts = await authenticate(deps, request, params);
  } catch (error) {
    request.log.error({ err: error }, 'credential lookup failed');
    throw new StoreUnavailableError();
  }
  if (!accounts) {
    deps.metrics.webhooks.inc({ provider: 'twilio', type: kind, outcome: 'unauthenticated' });
    request.log.warn({ type: kind }, 'twilio signature rejected');
    throw new InvalidSignatureError();
  }

  const query = new URLSearchParams((request.raw.url ?? '').split('?')[1] ?? '');
  let outcome;
  try {
    outcome = await intakeTwilioEvent(deps, {
      kind,
      params,
      accountCompanyIds: accounts.map((entry) => entry.account.company_id),
      tag: query.get('cv') ?? undefined,
      requestPath: (request.raw.url ?? request.url).split('?')[0] ?? '',
    });
  } catch (error) {
    request.log.error({ err: error, type: kind }, 'event store failed');
    deps.metrics.webhooks.inc({ provider: 'twilio', type: kind, outcome: 'unavailable' });
    throw new StoreUnavailableError();
  }
  deps.metrics.webhooks.inc({ provider: 'twilio', type: kind, outcome: outcome.outcome });
  if (outcome.rejectReason) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'malformed_event', message: outcome.rejectReason });
  request.log.info({ type: kind, outcome: outcome.outcome, eventId: outcome.eventId }, 'twilio event');
  return reply.code(outcome.outcome === 'quarantined' ? 202 : 204).send();
}
