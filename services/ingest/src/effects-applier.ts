import type { Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Producer } from '@callvault/queue';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { commitEffects, type AppliedEffects, type PendingEffects } from './effects-commit';
import { enqueueEventJobs } from './enqueue-event-jobs';
import { batchOrOneByOne, createGroupCommit } from './group-commit';

/** Effects committed together at most; one batch at a time (as the intake, see event-intake.ts). */
const MAX_BATCH = 100;
/**
 * Events waiting in memory for their effects at most. Past it a hand-over is declined: the event
 * is stored already, and the sweep applies it from Postgres. Memory stays bounded under a burst
 * that outruns the effects, and the backlog lives where it survives a restart.
 */
export const MAX_BACKLOG = 5_000;

export interface EffectsApplier {
  /** Hands over effects without waiting for them; declines (returns false) when the backlog is full. */
  offer(items: PendingEffects[]): boolean;
  /** Applies and waits: the sweep's way in. Failed items stay unapplied; the sweep tries again. */
  apply(items: PendingEffects[]): Promise<void>;
  /** Events handed over and not yet applied (or failed). */
  backlog(): number;
  /** How many more events the backlog takes. */
  room(): number;
  /** Events declined so far (ever): acknowledged, stored, and waiting for the sweep. */
  declined(): number;
  /**
   * Calls `listener` each time the backlog empties after hand-overs were declined: the moment
   * the sweep can apply them, instead of waiting for them to age.
   */
  onDrainedAfterDeclining(listener: () => void): void;
  /** Resolves once everything handed over so far has been applied or has failed. */
  settled(): Promise<void>;
}

export interface EffectsApplierDeps {
  db: Db;
  producer: Producer;
  log: Logger;
  /** Defaults to MAX_BACKLOG; tests use a small one. */
  maxBacklog?: number;
  batchSize?: Histogram;
  fallbacks?: Counter;
  failures?: Counter;
  declinedCounter?: Counter;
  backlogGauge?: Gauge;
}

/**
 * Applies accepted events' effects after their acknowledgement: calls and recordings move
 * forward, and the jobs they cause go to Redis. A failure leaves the event unapplied in Postgres,
 * counted and logged, for the sweep to apply again; nothing is dropped.
 */
export function createEffectsApplier(deps: EffectsApplierDeps): EffectsApplier {
  const maxBacklog = deps.maxBacklog ?? MAX_BACKLOG;
  let backlog = 0;
  let declined = 0;
  // Declined since the backlog last emptied: one warning per overload, not one per batch.
  let decliningSince: number | undefined;
  const drainListeners: Array<() => void> = [];
  const pending = new Set<Promise<unknown>>();

  const drainedIfEmpty = () => {
    if (backlog > 0 || decliningSince === undefined) return;
    deps.log.info({ declined: declined - decliningSince }, 'effects backlog drained; the sweep applies the declined events now');
    decliningSince = undefined;
    for (const listener of drainListeners) listener();
  };
  // One bad event (or a deadlock with another replica) must not hold back its neighbours.
  const commitBatch = batchOrOneByOne(
    (batch: PendingEffects[]) => commitEffects(deps.db, batch),
    (error, batch) => {
      deps.fallbacks?.inc();
      deps.log.warn({ err: error, events: batch.length }, 'effects batch failed; applying its events one by one');
    },
  );
  const group = createGroupCommit<PendingEffects, AppliedEffects>({
    maxBatch: MAX_BATCH,
    maxInFlight: 1,
    commit: (items) => {
      deps.batchSize?.observe(items.length);
      return commitBatch(items);
    },
    afterCommit: (items, results) =>
      enqueueEventJobs(
        deps,
        items.flatMap((item, index) => {
          const result = results[index];
          return result?.status === 'fulfilled' && result.value.applied ? [{ eventId: item.eventId, jobs: result.value.jobs }] : [];
        }),
      ),
  });

  const submit = (items: PendingEffects[]) => {
    backlog += items.length;
    deps.backlogGauge?.set(backlog);
    const work = Promise.all(
      items.map((item) =>
        group.submit(item).then(
          () => undefined,
          (error: unknown) => {
            deps.failures?.inc();
            deps.log.error({ err: error, eventId: item.eventId, companyId: item.companyId }, 'event effects failed; the sweep will apply them again');
          },
        ),
      ),
    ).finally(() => {
      backlog -= items.length;
      deps.backlogGauge?.set(backlog);
      pending.delete(work);
      drainedIfEmpty();
    });
    pending.add(work);
    return work;
  };

  return {
    offer(items) {
      if (items.length === 0) return true;
      if (backlog + items.length <= maxBacklog) {
        void submit(items);
        return true;
      }
      if (decliningSince === undefined) {
        decliningSince = declined;
        deps.log.warn({ backlog, maxBacklog }, 'effects backlog full; declined events stay in the event store until the sweep applies them');
      }
      declined += items.length;
      deps.declinedCounter?.inc(items.length);
      // Nothing in flight (a hand-over larger than the whole backlog): no drain will come.
      queueMicrotask(drainedIfEmpty);
      return false;
    },
    async apply(items) {
      if (items.length > 0) await submit(items);
    },
    backlog: () => backlog,
    room: () => Math.max(0, maxBacklog - backlog),
    declined: () => declined,
    onDrainedAfterDeclining(listener) {
      drainListeners.push(listener);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
