import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '@callvault/service-kit';

/** What a browser integration may send and read: bearer tokens, JSON bodies, idempotent POSTs; the request id and its rate budget. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key'];
const EXPOSED_HEADERS = [REQUEST_ID_HEADER, 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * CORS for /v1, for the exact origins of CORS_ALLOWED_ORIGINS (none: nothing is registered and
 * cross-origin browsers are refused by their own same-origin policy). Bearer tokens, not cookies,
 * so no credentials mode. A disallowed origin gets no CORS header at all, preflight included.
 * Register it in the /v1 plugin before authentication: a preflight carries no token, and error
 * answers (401, 429) must carry the headers too, or the browser hides them from the caller.
 */
export async function registerCors(v1: FastifyInstance, allowedOrigins: readonly string[]): Promise<void> {
  if (allowedOrigins.length === 0) return;
  const allowed = new Set(allowedOrigins);
  const corsOf = (request: FastifyRequest): FastifyCorsOptions => {
    const origin = request.headers.origin;
    // The plugin's preflight route matches every path: only /v1 is offered cross-origin.
    const isV1 = /^\/v1(?:[/?]|$)/.test(request.url);
    return { ...OPTIONS, origin: isV1 && origin !== undefined && allowed.has(origin) ? origin : false };
  };
  await v1.register(cors, { delegator: (request, done) => done(null, corsOf(request)) });
}

const OPTIONS = {
  credentials: false,
  methods: METHODS,
  allowedHeaders: ALLOWED_HEADERS,
  exposedHeaders: EXPOSED_HEADERS,
  maxAge: 600,
  // An allowed origin's OPTIONS is answered as a preflight, never with the library's text/plain 400.
  strictPreflight: false,
} as const satisfies FastifyCorsOptions;
