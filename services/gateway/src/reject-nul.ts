import type { FastifyInstance } from 'fastify';
import { containsNul } from '@callvault/service-kit';
import { BadRequestError } from './errors';

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
