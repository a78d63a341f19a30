import createError from '@fastify/error';

/** Errors of the administration routes, beside the gateway's own in ../../errors.ts. */
export const BadRequestError = createError('bad_request', '%s', 400);
export const CompanyRequiredError = createError('company_required', 'a superadmin must name the company with companyId', 400);
export const ProviderNotConfiguredError = createError('provider_not_configured', '%s', 409);
export const ProviderCredentialsInvalidError = createError('provider_credentials_invalid', '%s', 422);
export const ProviderUnavailableError = createError('provider_unavailable', '%s', 503);
/** Said the same way whoever holds the account: no oracle for which company uses which account. */
export const ProviderAccountUnavailableError = createError('provider_account_unavailable', 'this provider account cannot be registered for this company', 409);
export const PhoneNumberNotOwnedError = createError('phone_number_not_owned', '%s', 422);
export const SecretsUnavailableError = createError('secrets_unavailable', 'provider settings are unavailable: SECRETS_KEY is not configured', 503);
