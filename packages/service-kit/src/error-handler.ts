import type { FastifyError, FastifyInstance } from 'fastify';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limited',
  503: 'unavailable',
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Fastify's error shape plus a stable `code`. 4xx say what was wrong; 5xx are masked (logged once
 * here, with the stack) so no SQL, key or stack trace reaches a caller.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { validation?: unknown }, request, reply) => {
    let statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (error.validation) statusCode = 400;
    // Postgres refusing the text itself (NUL bytes, invalid encoding): the input's fault, not ours.
    if (error.code === '22021' || error.code === '22P05') {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'bad_request', message: 'text contains characters that cannot be stored' });
    }
    // Our own errors (@fastify/error upper-cases their codes) keep theirs; framework codes map by status.
    const ownCode = error.code && /^[A-Za-z_]+$/.test(error.code) && !/^(FST|ERR)_/.test(error.code) ? error.code.toLowerCase() : undefined;
    // A 503 we declared ourselves (provider_unavailable, store_unavailable...) says what is down; anything else 5xx is masked.
    if (statusCode === 503 && ownCode) {
      request.log.warn({ err: error }, 'request refused: a dependency is unavailable');
      return reply.code(503).send({ statusCode, error: STATUS_TEXT[503], code: ownCode, message: error.message });
    }
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(statusCode).send({
        statusCode,
        error: STATUS_TEXT[statusCode] ?? 'Internal Server Error',
        code: statusCode === 503 ? 'unavailable' : 'internal_error',
        message: statusCode === 503 ? 'service temporarily unavailable' : 'internal server error',
      });
    }
    const code = error.validation ? 'validation_failed' : (ownCode ?? CODE_BY_STATUS[statusCode] ?? 'bad_request');
    return reply.code(statusCode).send({
      statusCode,
      error: STATUS_TEXT[statusCode] ?? 'Bad Request',
      code,
      message: error.message,
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ statusCode: 404, error: 'Not Found', code: 'not_found', message: `route ${request.method} ${request.url.split('?')[0]} not found` }),
  );
}
