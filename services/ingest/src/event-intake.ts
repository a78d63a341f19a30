import {
  insertWebhookEvent,
  markWebhookEventsEnqueued,
  narrowToCompany,
  setWebhookEventJobs,
  withPlatform,
  type CompanyTx,
  type Db,
  type Provider,
} from '@callvault/db';
import type { Producer, QueuedJob } from '@callvault/queue';
import type { Logger } from '@callvault/logging';
import type { Histogram } from 'prom-client';
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
  /** Null when the event is authentic but malformed: it is stored as rejected with `rejectReason`. */
  resolution: TenantResolution | null;
  rejectReason?: string;
  /** The event's effects on calls and recordings, in the same transaction as the event row. */
  applyEffects?: (tx: CompanyTx) => Promise<QueuedJob[]>;
}

export interface PreparedEvent {
  callRef: string;
  resolution: TenantResolution;
  /** Present when the tenant is resolved: the event's effects, inside the intake transaction. */
  apply: ((tx: CompanyTx) => Promise<QueuedJob[]>) | undefined;
}

export interface EventIntake {
  store(event: IntakeEvent): Promise<{ outcome: IntakeOutcome; eventId?: string }>;
}

/**
 * The durable inbox. The event row (deduplicated by its unique idempotency key) and its effects
 * commit together before the provider gets its 2xx; jobs are enqueued afterwards with
 * deterministic ids. If Redis is down the event stays acknowledged and the relay enqueues it later.
 */
export function createEventIntake(deps: { db: Db; producer: Producer; log: Logger; storeSeconds?: Histogram<'provider' | 'outcome'> }): EventIntake {
  return {
    async store(event) {
      const status = event.resolution === null ? 'rejected' : event.resolution.kind === 'resolved' ? 'accepted' : 'quarantined';
      const stopTimer = deps.storeSeconds?.startTimer({ provider: event.provider });
      const committed = await withPlatform(deps.db, async (tx) => {
        const inserted = await insertWebhookEvent(tx, {
          companyId: event.resolution?.kind === 'resolved' ? event.resolution.companyId : null,
          provider: event.provider,
          eventType: event.eventType,
          idempotencyKey: event.idempotencyKey,
          status,
          reason: event.resolution === null ? event.rejectReason ?? 'malformed' : event.resolution.kind === 'quarantined' ? event.resolution.reason : null,
          externalAccountId: event.externalAccountId,
          callRef: event.callRef,
          payload: event.payload,
          requestPath: event.requestPath,
        });
        if (!inserted) return { duplicate: true as const };
        if (event.resolution?.kind !== 'resolved' || !event.applyEffects) return { duplicate: false as const, eventId: inserted.id, jobs: [] };
        const companyTx = await narrowToCompany(tx, event.resolution.companyId);
        const jobs = await event.applyEffects(companyTx);
        if (jobs.length > 0) await setWebhookEventJobs(tx, inserted.id, jobs);
        return { duplicate: false as const, eventId: inserted.id, jobs };
      }).catch((error: unknown) => {
        stopTimer?.({ outcome: 'error' });
        throw error;
      });
      stopTimer?.({ outcome: committed.duplicate ? 'duplicate' : status });

      if (committed.duplicate) return { outcome: 'duplicate' };
      if (committed.jobs.length > 0) {
        try {
          // BullMQ waits for a connection that may never come: the reply must not wait with it.
          await withDeadline(deps.producer.enqueueMany(committed.jobs), ENQUEUE_DEADLINE_MS);
          await withPlatform(deps.db, (tx) => markWebhookEventsEnqueued(tx, [committed.eventId]));
        } catch (error) {
          // Stored and acknowledged already: the relay will enqueue it once Redis answers again.
          deps.log.warn({ err: error, eventId: committed.eventId }, 'enqueue failed; left to the relay');
        }
      } else if (status === 'accepted') {
        await withPlatform(deps.db, (tx) => markWebhookEventsEnqueued(tx, [committed.eventId])).catch(() => undefined);
      }
      return { outcome: status, eventId: committed.eventId };
    },
  };
}
