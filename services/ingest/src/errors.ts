import createError from '@fastify/error';

export const InvalidSignatureError = createError('invalid_signature', 'webhook signature is missing or invalid', 403);
export const UnknownAccountError = createError('unknown_account', 'webhook signature is missing or invalid', 403);
export const VapiUnauthorizedError = createError('unauthorized', 'webhook authentication failed', 401);
export const MalformedEventError = createError('malformed_event', '%s', 400);
export const StoreUnavailableError = createError('store_unavailable', 'the event could not be stored; retry later', 503);
