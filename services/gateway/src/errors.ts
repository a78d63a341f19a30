import createError from '@fastify/error';

// Every error the gateway answers with its own code, in one list: a code means one thing.

export const UnauthorizedError = createError('unauthorized', '%s', 401);
export const ForbiddenError = createError('forbidden', '%s', 403);
export const NotFoundError = createError('not_found', '%s', 404);
export const InvalidCursorError = createError('invalid_cursor', 'cursor is invalid, expired or belongs to another query', 400);
export const ConflictError = createError('conflict', '%s', 409);
export const BadRequestError = createError('bad_request', '%s', 400);
export const CompanyRequiredError = createError('company_required', 'a superadmin must name the company with companyId', 400);
export const ProviderNotConfiguredError = createError('provider_not_configured', '%s', 409);
export const ProviderCredentialsInvalidError = createError('provider_credentials_invalid', '%s', 422);
export const ProviderUnavailableError = createError('provider_unavailable', '%s', 503);
/** Said the same way whoever holds the account: no oracle for which company uses which account. */
export const ProviderAccountUnavailableError = createError('provider_account_unavailable', 'this provider account cannot be registered for this company', 409);
export const PhoneNumberNotOwnedError = createError('phone_number_not_owned', '%s', 422);
export const SecretsUnavailableError = createError('secrets_unavailable', 'provider settings are unavailable: SECRETS_KEY is not configured', 503);
export const LegalHoldError = createError('legal_hold', 'recording is under legal hold', 409);
export const InvalidFeedQueryError = createError('invalid_feed_query', '%s', 400);
export const InvalidIdempotencyKeyError = createError('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 printable ASCII characters', 400);
export const IdempotencyKeyReusedError = createError(
  'idempotency_key_reused',
  'this Idempotency-Key was used with another request (method, path or body)',
  422,
);
export const IdempotencyKeyInProgressError = createError(
  'idempotency_key_in_progress',
  'a request with this Idempotency-Key is still in progress: retry later',
  409,
);
