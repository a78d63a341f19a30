import { FRAMEWORK_ERRORS, defineErrorCatalogue, errorFactory } from '@callvault/service-kit';

/**
 * Every code ingest answers, in one list. Statuses are the ones the providers' contract fixes
 * (403 Twilio signature, 401 VAPI authentication, 400 malformed and stored as rejected, 503 for
 * a retry); the bodies are problems, which the providers only log.
 */
export const INGEST_ERRORS = defineErrorCatalogue({
  ...FRAMEWORK_ERRORS,
  invalid_signature: {
    status: 403,
    title: 'Invalid Signature',
    description: 'The X-Twilio-Signature is missing or does not match the body and PUBLIC_BASE_URL; nothing is stored.',
  },
  malformed_event: {
    status: 400,
    title: 'Malformed Event',
    description: 'An authentic event lacks a required field or carries an invalid one; it is stored as rejected with this reason.',
  },
  store_unavailable: {
    status: 503,
    title: 'Store Unavailable',
    description: 'The event could not be stored durably; nothing is acknowledged, so the provider’s retry can succeed.',
  },
});

const errorOf = errorFactory(INGEST_ERRORS);

export const InvalidSignatureError = errorOf('invalid_signature', 'webhook signature is missing or invalid');
export const VapiUnauthorizedError = errorOf('unauthorized', 'webhook authentication failed');
export const StoreUnavailableError = errorOf('store_unavailable', 'the event could not be stored; retry later');
export const MalformedEventError = errorOf('malformed_event', '%s');
export const UnsupportedMediaTypeError = errorOf('unsupported_media_type', 'send %s');
