import createError from '@fastify/error';

export const InvalidSignatureError = createError('invalid_signature', 'webhook signature is missing or invalid', 403);
export const VapiUnauthorizedError = createError('unauthorized', 'webhook authentication failed', 401);
export const StoreUnavailableError = createError('store_unavailable', 'the event could not be stored; retry later', 503);
