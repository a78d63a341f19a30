import type { FastifyInstance } from 'fastify';
import { BadRequestError } from './errors';

function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, nested]) => key.includes('\u0000') || containsNul(nested, depth + 1));
}

/**
 * Postgres cannot store or compare text with a NUL character: refuse it at the boundary with a
 * clear 400 instead of letting a query fail deep inside a transaction.
 */
export function rejectNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (containsNul(request.query) || containsNul(request.params) || containsNul(request.body)) {
      throw new BadRequestError('text must not contain NUL characters');
    }
  });
}
