import { markWebhookEventsEnqueued, withPlatform, type CompanyTx, type Db, type PlatformTx, type Provider } from '@callvault/db';
import type { Producer, QueuedJob } from '@callvault/queue';
import type { Logger } from '@callvault/logging';
import type { Counter, Histogram } from 'prom-client';
import { createGroupCommit } from './group-commit';
import { commitEvents, type CommittedEvent } from './intake-commit';
import type { TenantResolution } from './tenant-resolution';

/** Past this, a slow or absent Redis is the relay's problem, not the provider's. */
const ENQUEUE_DEADLINE_MS = 1_000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`enqueue took longer than ${ms} ms`)), ms);
  });
  // The abandoned enqueue may still land later; its deterministic job id keeps that harmless.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export type IntakeOutcome = 'accepted' | 'duplicate' | 'quarantined' | 'rejected';

export interface IntakeEvent {
  provider: Provider;
  eventType: string;
  idempotencyKey: string;
  externalAccountId: string | null;
  callRef: string | null;
  payload: Record<string, unknown>;
  requestPath: string;
  /**
   * Resolves the tenant and describes the event's effects, inside the intake transaction (so a
   * batch of events shares one). Absent when the event is authentic but malformed: it is stored
   * as rejected with `rejectReason`.
   */
  prepare?: (tx: PlatformTx) => Promise<PreparedEvent>;
  rejectReason?: string;
}

/**
 * Effects that can be applied set-based: a batch's events of one company with the same `kind`
 * go to one `applyAll` call (one statement instead of several per event).
 */
export interface BatchedEffects<T = unknown> {
  kind: string;
  input: T;
  /** One list of jobs per input, in order. Each input's call appears once per call. */
  applyAll: (tx: CompanyTx, inputs: T[]) => Promise<QueuedJob[][]>;
}

export interface PreparedEvent {
  resolution: TenantResolution;
  /** When present, used instead of `apply` inside the intake; `apply` stays equivalent for one event. */
  batch?: BatchedEffects | undefined;
  /** Present when the tenant is resolved: the event's effects, inside the intake transaction. */
  apply: ((tx: CompanyTx) => Promise<QueuedJob[]>) | undefined;
}

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
 * The durable inbox. Each event row (deduplicated by its unique idempotency key) and its effects
 * commit together before the provider gets its 2xx; concurrent deliveries share a transaction
 * (group commit). Jobs are enqueued afterwards with deterministic ids, a batch at a time. If
 * Redis is down the events stay acknowledged and the relay enqueues them later.
 */
export function createEventIntake(deps: { db: Db; producer: Producer; log: Logger; storeSeconds?: Histogram<'provider' | 'outcome'>; batchSize?: Histogram; fallbacks?: Counter }): EventIntake {
  const group = createGroupCommit<IntakeEvent, CommittedEvent>({
    maxBatch: MAX_BATCH,
    maxInFlight: MAX_BATCHES_IN_FLIGHT,
    commit: async (events) => {
      deps.batchSize?.observe(events.length);
      try {
        return (await commitEvents(deps.db, events)).map((value) => ({ status: 'fulfilled', value }));
      } catch (error) {
        if (events.length === 1) return [{ status: 'rejected', reason: error }];
        deps.fallbacks?.inc();
        // One bad event (or a deadlock between batches) must not fail its neighbours: alone, each
        // event commits or fails on its own.
        deps.log.warn({ err: error, events: events.length }, 'batch commit failed; committing its events one by one');
        return Promise.allSettled(events.map(async (event) => (await commitEvents(deps.db, [event]))[0]!));
      }
    },
    afterCommit: (_events, results) => enqueueCommitted(deps, results.flatMap((result) => (result.status === 'fulfilled' && !result.value.duplicate ? [result.value] : []))),
  });

  return {
    async store(event) {
      const stopTimer = deps.storeSeconds?.startTimer({ provider: event.provider });
      const committed = await group.submit(event).catch((error: unknown) => {
        stopTimer?.({ outcome: 'error' });
        throw error;
      });
      if (committed.duplicate) {
        stopTimer?.({ outcome: 'duplicate' });
        return { outcome: 'duplicate' };
      }
      stopTimer?.({ outcome: committed.status });
      return { outcome: committed.status, eventId: committed.eventId };
    },
  };
}

/** Enqueues a batch's jobs in one go and marks the events; a Redis failure is left to the relay. */
async function enqueueCommitted(deps: { db: Db; producer: Producer; log: Logger }, committed: Array<Extract<CommittedEvent, { duplicate: false }>>): Promise<void> {
  const accepted = committed.filter((event) => event.status === 'accepted');
  if (accepted.length === 0) return;
  const jobs = accepted.flatMap((event) => event.jobs);
  let enqueued = accepted;
  if (jobs.length > 0) {
    try {
      // BullMQ waits for a connection that may never come: the reply must not wait with it.
      await withDeadline(deps.producer.enqueueMany(jobs), ENQUEUE_DEADLINE_MS);
    } catch (error) {
      // Stored and acknowledged already: the relay will enqueue them once Redis answers again.
      deps.log.warn({ err: error, events: accepted.length }, 'enqueue failed; left to the relay');
      enqueued = accepted.filter((event) => event.jobs.length === 0);
    }
  }
  if (enqueued.length === 0) return;
  // A lost mark only makes the relay enqueue again, which deterministic job ids make a no-op.
  await withPlatform(deps.db, (tx) => markWebhookEventsEnqueued(tx, enqueued.map((event) => event.eventId)), { synchronousCommit: false }).catch((error: unknown) =>
    deps.log.warn({ err: error }, 'could not mark events enqueued; the relay will redo it'),
  );
}
