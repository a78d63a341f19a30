import createError from '@fastify/error';

/** Where the documentation of every code lives; `type` is this base plus the code. */
export const PROBLEM_TYPE_BASE = 'https://callvault.dev/errors/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** One code of a catalogue: the status it is always answered with, its fixed title, and what it means. */
export interface ErrorEntry {
  status: number;
  title: string;
  /** For the error reference in the docs: when it happens and what the caller can do. */
  description: string;
}

export type ErrorCatalogue = Readonly<Record<string, ErrorEntry>>;

/** One invalid input of a validation error: where it is (a JSON Pointer) and what is wrong with it. */
export interface ProblemFieldError {
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem, with our stable `code` and the request's id as extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: ProblemFieldError[];
}

/**
 * The codes the shared error handler answers by itself (framework errors, validation, masked
 * failures), for every service. A service's catalogue spreads these and adds its own, so each code
 * is written once and a service's list is every code it can answer.
 */
export const FRAMEWORK_ERRORS = {
  bad_request: {
    status: 400,
    title: 'Bad Request',
    description: 'The request cannot be read or breaks a rule that is not tied to one field; `detail` says which.',
  },
  validation_failed: {
    status: 400,
    title: 'Validation Failed',
    description: 'A body, query or path field is missing, unknown or invalid; `errors[]` names each one with a JSON Pointer.',
  },
  unauthorized: { status: 401, title: 'Unauthorized', description: 'No credential, or one that is invalid, expired or revoked.' },
  forbidden: { status: 403, title: 'Forbidden', description: 'The caller is known but may not take this action (role, read-only API key, disabled user).' },
  not_found: {
    status: 404,
    title: 'Not Found',
    description: 'No such route, or nothing with this id in the caller’s scope (the same answer whether it exists elsewhere or not).',
  },
  method_not_allowed: { status: 405, title: 'Method Not Allowed', description: 'The route exists but not with this method.' },
  not_acceptable: { status: 406, title: 'Not Acceptable', description: 'No representation matches the Accept header.' },
  conflict: { status: 409, title: 'Conflict', description: 'The change conflicts with the current state (a duplicate, or something still in use).' },
  payload_too_large: { status: 413, title: 'Payload Too Large', description: 'The body is larger than this endpoint accepts.' },
  uri_too_long: { status: 414, title: 'URI Too Long', description: 'A path segment is longer than any id this API uses.' },
  unsupported_media_type: { status: 415, title: 'Unsupported Media Type', description: 'The body’s Content-Type is not one this endpoint reads.' },
  unprocessable_entity: { status: 422, title: 'Unprocessable Content', description: 'The request is well-formed but cannot be acted on as given.' },
  rate_limited: {
    status: 429,
    title: 'Too Many Requests',
    description: 'The caller’s request budget is spent; retry after the number of seconds in `Retry-After` (see the `X-RateLimit-*` headers).',
  },
  internal_error: {
    status: 500,
    title: 'Internal Server Error',
    description: 'An unexpected failure on our side; nothing about it is disclosed. Quote the `requestId` to the operator, who finds it in the logs.',
  },
  unavailable: { status: 503, title: 'Service Unavailable', description: 'A dependency (database, queue, storage) is unavailable; retry later.' },
} as const satisfies ErrorCatalogue;

/** Types a catalogue literal while keeping its codes as keys. */
export function defineErrorCatalogue<const T extends ErrorCatalogue>(catalogue: T): T {
  return catalogue;
}

/**
 * The error classes of a catalogue: `errorOf('not_found', '%s')` is a @fastify/error class whose
 * code and status come from the catalogue, so no error can carry a code the catalogue lacks.
 */
export function errorFactory<T extends ErrorCatalogue>(catalogue: T) {
  return (code: keyof T & string, message: string) => createError(code, message, catalogue[code]!.status);
}

/** The problem body for `code` of `catalogue`, answering `request`. */
export function problemOf(
  catalogue: ErrorCatalogue,
  code: string,
  request: { id: string; url: string },
  detail: string,
  errors?: ProblemFieldError[],
): ProblemDetails {
  const entry = catalogue[code] ?? FRAMEWORK_ERRORS.internal_error;
  return {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: entry.title,
    status: entry.status,
    detail,
    // The path only: a query string can carry tokens (media links) or personal data (search).
    instance: request.url.split('?')[0] ?? '/',
    code,
    requestId: request.id,
    ...(errors ? { errors } : {}),
  };
}
