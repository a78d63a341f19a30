import type { FastifyReply } from 'fastify';
import { FRAMEWORK_ERRORS, PROBLEM_CONTENT_TYPE, defineErrorCatalogue, errorFactory, problemOf } from '@callvault/service-kit';

/**
 * Every code the gateway answers, in one list: a code means one thing, always with the same status
 * and title. The error classes below are made from it, the error handler answers from it, and the
 * error reference in docs/integration.md is checked against it.
 */
export const GATEWAY_ERRORS = defineErrorCatalogue({
  ...FRAMEWORK_ERRORS,
  invalid_cursor: {
    status: 400,
    title: 'Invalid Cursor',
    description: 'The `cursor` is malformed, expired, or was issued for another query: start again from the first page.',
  },
  company_required: { status: 400, title: 'Company Required', description: 'A superadmin acts on no company by default: name it with `companyId`.' },
  provider_not_configured: {
    status: 409,
    title: 'Provider Not Configured',
    description: 'The action needs the company’s provider settings (Twilio or VAPI), which are not set.',
  },
  provider_account_unavailable: {
    status: 409,
    title: 'Provider Account Unavailable',
    description: 'This provider account cannot be registered for this company (said alike whoever holds it).',
  },
  invalid_feed_query: {
    status: 400,
    title: 'Invalid Feed Query',
    description: '`updatedAfter` needs `sort=updatedAt`, and the change feed takes no filters or other sort (a filter would hide changes from a mirror).',
  },
  invalid_idempotency_key: {
    status: 400,
    title: 'Invalid Idempotency Key',
    description: 'The `Idempotency-Key` header must be 1 to 255 printable ASCII characters.',
  },
  idempotency_key_reused: {
    status: 422,
    title: 'Idempotency Key Reused',
    description: 'This `Idempotency-Key` was used within 24 h with another request (method, path or body): use a new key for a new request.',
  },
  idempotency_key_in_progress: {
    status: 409,
    title: 'Idempotency Key In Progress',
    description: 'The first request with this `Idempotency-Key` is still running: retry after the `Retry-After` seconds.',
  },
  legal_hold: { status: 409, title: 'Legal Hold', description: 'The recording is under legal hold: it cannot be deleted until the hold is lifted.' },
  provider_credentials_invalid: { status: 422, title: 'Provider Credentials Invalid', description: 'The provider refused the credentials given.' },
  phone_number_not_owned: { status: 422, title: 'Phone Number Not Owned', description: 'The provider account does not own this phone number.' },
  range_not_satisfiable: { status: 416, title: 'Range Not Satisfiable', description: 'The `Range` asked for lies outside the audio.' },
  provider_unavailable: { status: 503, title: 'Provider Unavailable', description: 'The provider (Twilio, VAPI) did not answer; retry later.' },
  secrets_unavailable: {
    status: 503,
    title: 'Secrets Unavailable',
    description: 'Provider settings cannot be read or written: the operator has not configured SECRETS_KEY.',
  },
  dashboard_not_built: {
    status: 503,
    title: 'Dashboard Not Built',
    description: 'The dashboard’s files are missing on this gateway; the operator builds them.',
  },
});

const errorOf = errorFactory(GATEWAY_ERRORS);

export const UnauthorizedError = errorOf('unauthorized', '%s');
export const ForbiddenError = errorOf('forbidden', '%s');
export const NotFoundError = errorOf('not_found', '%s');
export const InvalidCursorError = errorOf('invalid_cursor', 'cursor is invalid, expired or belongs to another query');
export const ConflictError = errorOf('conflict', '%s');
export const BadRequestError = errorOf('bad_request', '%s');
export const CompanyRequiredError = errorOf('company_required', 'a superadmin must name the company with companyId');
export const ProviderNotConfiguredError = errorOf('provider_not_configured', '%s');
export const ProviderCredentialsInvalidError = errorOf('provider_credentials_invalid', '%s');
export const ProviderUnavailableError = errorOf('provider_unavailable', '%s');
/** Said the same way whoever holds the account: no oracle for which company uses which account. */
export const ProviderAccountUnavailableError = errorOf('provider_account_unavailable', 'this provider account cannot be registered for this company');
export const PhoneNumberNotOwnedError = errorOf('phone_number_not_owned', '%s');
export const SecretsUnavailableError = errorOf('secrets_unavailable', 'provider settings are unavailable: SECRETS_KEY is not configured');
export const LegalHoldError = errorOf('legal_hold', 'recording is under legal hold');
export const RangeNotSatisfiableError = errorOf('range_not_satisfiable', 'requested range is outside the recording');
export const RateLimitedError = errorOf('rate_limited', 'rate limit exceeded: retry in %s');
export const DashboardNotBuiltError = errorOf(
  'dashboard_not_built',
  'the dashboard is not built: run `npx -y pnpm@10 --filter @callvault/dashboard build` (pnpm start does it)',
);
export const InvalidFeedQueryError = errorOf('invalid_feed_query', '%s');
export const InvalidIdempotencyKeyError = errorOf('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
export const IdempotencyKeyReusedError = errorOf('idempotency_key_reused', 'this Idempotency-Key was used with another request (method, path or body)');
export const IdempotencyKeyInProgressError = errorOf('idempotency_key_in_progress', 'a request with this Idempotency-Key is still in progress: retry later');

/** Refuses an erasure under legal hold: the `legal_hold` problem with the held ids as extension members. */
export function sendLegalHold(reply: FastifyReply, detail: string, held: Record<string, string[]>): FastifyReply {
  const body = { ...problemOf(GATEWAY_ERRORS, 'legal_hold', reply.request, detail), ...held };
  return reply.code(409).header('x-request-id', reply.request.id).type(PROBLEM_CONTENT_TYPE).send(body);
}
