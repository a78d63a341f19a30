import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Provider } from '@callvault/db';
import type { IntakeOutcome } from '@callvault/events';
import { MalformedEventError, StoreUnavailableError } from './errors';
import type { IngestDeps } from './ingest-deps';

export interface StoredDelivery {
  outcome: IntakeOutcome;
  eventId?: string | undefined;
  rejectReason?: string | undefined;
}

/**
 * Stores a provider's delivery and answers it alike for every provider: 503 while the event store
 * is down (the provider retries), 400 with its reason for a malformed event (stored as rejected),
 * 202 when quarantined, 204 otherwise. Every outcome is counted.
 */
export async function storeAndReply(
  deps: IngestDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  delivery: { provider: Provider; type: string; store: () => Promise<StoredDelivery> },
): Promise<FastifyReply> {
  const { provider, type } = delivery;
  let stored: StoredDelivery;
  try {
    stored = await delivery.store();
  } catch (error) {
    request.log.error({ err: error, type }, 'event store failed');
    deps.metrics.webhooks.inc({ provider, type, outcome: 'unavailable' });
    throw new StoreUnavailableError();
  }
  deps.metrics.webhooks.inc({ provider, type, outcome: stored.outcome });
  if (stored.rejectReason) throw new MalformedEventError(stored.rejectReason);
  request.log.info({ type, outcome: stored.outcome, eventId: stored.eventId }, `${provider} event`);
  return reply.code(stored.outcome === 'quarantined' ? 202 : 204).send();
}
