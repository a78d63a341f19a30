import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { FRAMEWORK_ERRORS, PROBLEM_CONTENT_TYPE, problemOf, type ErrorCatalogue, type ProblemFieldError } from './problem-details';
import { fieldErrorsOf } from './validation-errors';

/** Framework errors (FST_*, ERR_*) carry no code of ours: they are named by their status. */
const CODE_BY_STATUS: Record<number, keyof typeof FRAMEWORK_ERRORS> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Sends `code` of `catalogue` as an RFC 9457 problem (application/problem+json), with its status. */
export function sendProblem(reply: FastifyReply, catalogue: ErrorCatalogue, code: string, detail: string, errors?: ProblemFieldError[]): FastifyReply {
  const problem = problemOf(catalogue, code, reply.request, detail, errors);
  return reply.code(problem.status).header('x-request-id', reply.request.id).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * Every error a service answers becomes a problem from its catalogue. 4xx say what was wrong; 5xx
 * are masked (logged once here, with the stack, under the request id the caller is given) so no
 * SQL, key, stack trace or other tenant's id reaches a caller. A code missing from the catalogue is
 * answered as its status's generic code, never invented.
 */
export function registerErrorHandling(app: FastifyInstance, catalogue: ErrorCatalogue = FRAMEWORK_ERRORS): void {
  app.setErrorHandler((error: FastifyError, request, reply) => answerError(catalogue, error, request, reply));
  app.setNotFoundHandler((request, reply) => sendProblem(reply, catalogue, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
}

/**
 * Fastify's answers to URLs it cannot route (a malformed escape, a path segment past its length
 * limit) in the same problem shape; they are given at construction, so they are server options.
 */
export function problemFrameworkErrors(catalogue: ErrorCatalogue = FRAMEWORK_ERRORS): Pick<FastifyServerOptions, 'frameworkErrors'> {
  return { frameworkErrors: (error, request, reply) => answerError(catalogue, error, request, reply) };
}

function answerError(catalogue: ErrorCatalogue, error: FastifyError & { validation?: unknown }, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // Postgres refusing the text itself (NUL bytes, invalid encoding): the input's fault, not ours.
  if (error.code === '22021' || error.code === '22P05') return sendProblem(reply, catalogue, 'bad_request', 'text contains characters that cannot be stored');
  if (Array.isArray(error.validation)) {
    const errors = fieldErrorsOf(error.validation, (error as { validationContext?: string }).validationContext);
    return sendProblem(reply, catalogue, 'validation_failed', 'the request has invalid fields: see errors', errors);
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  const code = ownCodeOf(error, catalogue, status);
  // A 503 we declared ourselves (provider_unavailable, store_unavailable...) says what is down.
  if (status === 503 && code) {
    request.log.warn({ err: error }, 'request refused: a dependency is unavailable');
    return sendProblem(reply, catalogue, code, error.message);
  }
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    return status === 503
      ? sendProblem(reply, catalogue, 'unavailable', 'the service is temporarily unavailable; retry later')
      : sendProblem(reply, catalogue, 'internal_error', `an unexpected error occurred; quote request id ${request.id} to the operator`);
  }
  return sendProblem(reply, catalogue, code ?? CODE_BY_STATUS[status] ?? 'bad_request', error.message);
}

/** Our own errors (@fastify/error upper-cases codes) keep their code when the catalogue has it with this status. */
function ownCodeOf(error: FastifyError, catalogue: ErrorCatalogue, status: number): string | undefined {
  if (typeof error.code !== 'string' || !/^[A-Za-z_]+$/.test(error.code) || /^(FST|ERR)_/.test(error.code)) return undefined;
  const code = error.code.toLowerCase();
  return catalogue[code]?.status === status ? code : undefined;
}
