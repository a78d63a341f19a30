import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TwilioSecrets } from '@callvault/db';
import { candidatesOf, TWILIO_EVENTS, twilioIntakeEvent, type RegisteredAccount, type TwilioKind, type TwilioParams } from '@callvault/events';
import { containsNul } from '@callvault/service-kit';
import type { IngestDeps } from '../ingest-deps';
import { InvalidSignatureError, StoreUnavailableError, UnsupportedMediaTypeError } from '../errors';
import { storeNulRejection } from '../nul-rejection';
import { storeAndReply } from '../store-and-reply';
import { isValidTwilioSignature, parseForm, signedUrlFor } from './twilio-signature';

const TWILIO_BODY_LIMIT = 64 * 1024;
const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;

export function registerTwilioRoutes(app: FastifyInstance, deps: IngestDeps): void {
  for (const kind of Object.keys(TWILIO_EVENTS) as TwilioKind[]) {
    app.post(
      `/webhooks/twilio/${kind}`,
      {
        bodyLimit: TWILIO_BODY_LIMIT,
        // Unsigned requests are refused before their body is read or parsed.
        onRequest: async (request) => {
          const signature = request.headers['x-twilio-signature'];
          if (typeof signature !== 'string' || signature.length === 0 || signature.length > 200) {
            deps.metrics.webhooks.inc({ provider: 'twilio', type: kind, outcome: 'unauthenticated' });
            throw new InvalidSignatureError();
          }
        },
      },
      (request, reply) => handleTwilioWebhook(deps, kind, request, reply),
    );
  }
}

/**
 * The registrations whose own auth token produced the signature: only those companies may own
 * the event. Every registration is checked (no early exit), normally one; several on an account
 * a superadmin shares. A miss re-reads the credentials (rate-limited), so a token rotated a
 * moment ago is honoured.
 */
async function authenticate(deps: IngestDeps, request: FastifyRequest, params: TwilioParams): Promise<RegisteredAccount[]> {
  const accountSid = params.AccountSid;
  if (typeof accountSid !== 'string' || !ACCOUNT_SID.test(accountSid)) return [];
  const url = signedUrlFor(deps.config.PUBLIC_BASE_URL, request.raw.url ?? request.url);
  const signature = request.headers['x-twilio-signature'] as string;
  const verifying = (accounts: RegisteredAccount[]) =>
    accounts.filter((entry) => isValidTwilioSignature((entry.secrets as TwilioSecrets).authToken, signature, url, params));
  const verified = verifying(await deps.directory.lookup('twilio', accountSid));
  return verified.length > 0 ? verified : verifying(await deps.directory.lookup('twilio', accountSid, { fresh: true }));
}

async function handleTwilioWebhook(deps: IngestDeps, kind: TwilioKind, request: FastifyRequest, reply: FastifyReply) {
  if (typeof request.body !== 'string') {
    throw new UnsupportedMediaTypeError('application/x-www-form-urlencoded');
  }
  const rawBody = request.body;
  const params = parseForm(rawBody);
  let verified: RegisteredAccount[];
  try {
    verified = await authenticate(deps, request, params);
  } catch (error) {
    request.log.error({ err: error }, 'credential lookup failed');
    throw new StoreUnavailableError();
  }
  if (verified.length === 0) {
    deps.metrics.webhooks.inc({ provider: 'twilio', type: kind, outcome: 'unauthenticated' });
    request.log.warn({ type: kind }, 'twilio signature rejected');
    throw new InvalidSignatureError();
  }
  const candidates = candidatesOf(verified.map((entry) => entry.account));
  const requestPath = (request.raw.url ?? request.url).split('?')[0] ?? '';

  return storeAndReply(deps, request, reply, {
    provider: 'twilio',
    type: kind,
    async store() {
      if (containsNul(params)) {
        return storeNulRejection(deps, {
          provider: 'twilio',
          eventType: kind,
          externalAccountId: params.AccountSid as string,
          payload: params,
          rawBody,
          requestPath,
          candidates,
        });
      }
      const query = new URLSearchParams((request.raw.url ?? '').split('?')[1] ?? '');
      const event = twilioIntakeEvent(deps.resolution, { kind, params, candidates, tag: query.get('cv') ?? undefined, requestPath });
      // A malformed event is stored as rejected (or found a duplicate of one) and answered 400 with its reason.
      return { ...(await deps.intake.store(event)), rejectReason: event.rejectReason };
    },
  });
}
