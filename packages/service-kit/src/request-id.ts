import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is kept only when it cannot carry anything into a log line or a header: short, plain characters. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The caller's X-Request-Id when it is safe to repeat, else a new UUID. */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Fastify options that make the request id the one answered in X-Request-Id: Fastify puts it
 * on the request's child logger, so every log line of the request carries `requestId`.
 */
export function requestIdOptions(): Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader' | 'logController'> {
  return {
    genReqId: requestIdOf,
    // Read by genReqId, which validates it; Fastify's own header option would take any value.
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
  };
}

/** X-Request-Id on every answer: successes, errors, 404s, 429s, static files. */
export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
