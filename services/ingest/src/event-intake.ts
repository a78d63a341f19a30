import type { Db } from '@callvault/db';
import { commitEvents, type CommittedEvent, type IntakeEvent, type IntakeOutcome } from '@callvault/events';
import type { Logger } from '@callvault/logging';
import { currentTraceparent, inSpan } from '@callvault/tracing';
import type { Counter, Histogram } from 'prom-client';
import { batchOrOneByOne, createGroupCommit } from './group-commit';

export interface EventIntake {
  store(event: IntakeEvent): Promise<{ outcome: IntakeOutcome; eventId?: string }>;
}

/**
 * One batch commits at a time, up to 100 events: what waits meanwhile forms the next batch.
 * Measured with bench/ingest (2 cores, 50 connections): one committer 876 req/s with batches of
 * about 25; two 568 req/s, four 479, because smaller batches cost Postgres more per event.
 */
const MAX_BATCH = 100;
const MAX_BATCHES_IN_FLIGHT = 1;

/**
 * The durable inbox. Each event row is deduplicated by its unique idempotency key and committed
 * before the provider gets its 2xx; concurrent deliveries share a transaction (group commit).
 * After each commit the effects loop is woken: it applies the stored events' effects, from the
 * rows, after the reply.
 */
export function createEventIntake(deps: {
  db: Db;
  log: Logger;
  /** Called after every commit that stored something: the effects loop's wake. */
  onStored: () => void;
  storeSeconds?: Histogram<'provider' | 'outcome'>;
  batchSize?: Histogram;
  fallbacks?: Counter;
}): EventIntake {
  // One bad event must not fail its neighbours: alone, each event commits or fails on its own.
  const commitBatch = batchOrOneByOne(
    (batch: IntakeEvent[]) => commitEvents(deps.db, batch),
    (error, batch) => {
      deps.fallbacks?.inc();
      deps.log.warn({ err: error, events: batch.length }, 'batch commit failed; committing its events one by one');
    },
  );
  const group = createGroupCommit<IntakeEvent, CommittedEvent>({
    maxBatch: MAX_BATCH,
    maxInFlight: MAX_BATCHES_IN_FLIGHT,
    commit: (events) => {
      deps.batchSize?.observe(events.length);
      return commitBatch(events);
    },
    afterCommit: async (_events, results) => {
      if (results.some((result) => result.status === 'fulfilled' && !result.value.duplicate)) deps.onStored();
    },
  });

  return {
    store(event) {
      const attributes = { 'callvault.provider': event.provider, 'callvault.event.type': event.eventType };
      // The row keeps this span's traceparent: the effects, applied later from the row, join the request's trace.
      return inSpan('store webhook event', { attributes }, async (span) => {
        const stopTimer = deps.storeSeconds?.startTimer({ provider: event.provider });
        const traceparent = currentTraceparent();
        const committed = await group.submit(traceparent ? { ...event, traceparent } : event).catch((error: unknown) => {
          stopTimer?.({ outcome: 'error' });
          throw error;
        });
        if (committed.duplicate) {
          stopTimer?.({ outcome: 'duplicate' });
          span?.setAttribute('callvault.event.outcome', 'duplicate');
          return { outcome: 'duplicate' };
        }
        stopTimer?.({ outcome: committed.status });
        span?.setAttributes({ 'callvault.event.outcome': committed.status, 'callvault.event.id': committed.eventId });
        return { outcome: committed.status, eventId: committed.eventId };
      });
    },
  };
}
