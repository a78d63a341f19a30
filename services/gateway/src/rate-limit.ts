import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { RateLimitedError } from './errors';

/** Requests per user per minute on /v1. A constant until the limit needs to vary per deployment. */
export const REQUESTS_PER_MINUTE = 600;

/**
 * Per-user rate limit for the authenticated API. Register it first in the /v1 plugin, and await
 * it: it attaches to the routes declared after it. Its hook runs after authentication (route
 * hooks follow the plugin's onRequest hook), so the key is the principal, not an address that
 * many users of one office share. The counters live in the process: with several gateway
 * replicas, each allows the limit (a Redis store would make it global).
 */
export async function registerRateLimit(v1: FastifyInstance, options: { max?: number } = {}): Promise<void> {
  await v1.register(rateLimit, {
    max: options.max ?? REQUESTS_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const principal = request.principal;
      if (!principal) return `ip:${request.ip}`;
      if (principal.kind === 'superadmin') return `superadmin:${principal.id}`;
      // Each API key has a budget of its own: a busy integration never starves its user's browser.
      return principal.apiKey ? `api-key:${principal.apiKey.id}` : `user:${principal.user.id}`;
    },
    errorResponseBuilder: (_request, context) => new RateLimitedError(context.after),
  });
}
