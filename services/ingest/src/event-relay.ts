import { listUnappliedEvents, listUnrelayedEvents, markWebhookEventsEnqueued, withPlatform, type Db, type WebhookEvent } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Producer, QueuedJob } from '@callvault/queue';
import { periodicTask, type PeriodicTask } from '@callvault/service-kit';
import type { PendingEffects } from './effects-commit';
import type { EffectsApplier } from './effects-applier';
import type { EventEffects } from './event-intake';
import { effectsOfStoredEvent } from './stored-events';

export interface EventRelay extends PeriodicTask {
  /** One pass: apply what is unapplied, enqueue what never reached Redis. Returns how many events. */
  runOnce(): Promise<number>;
}

const PAGE = 500;

/**
 * The other half of "stored first". An accepted event whose effects never committed (a crash
 * after the reply, an outage, a full backlog) is applied from its row; an applied event whose
 * jobs never reached Redis has them enqueued from its row. Claims and deterministic job ids make
 * both safe to run on every ingest replica at once.
 */
export function createEventRelay(deps: {
  db: Db;
  producer: Producer;
  applier: EffectsApplier;
  log: Logger;
  olderThanSeconds?: number;
  /** Rebuilds a stored event's effects; the default parses the row as on arrival. */
  effectsOf?: (row: WebhookEvent) => EventEffects | undefined;
}): EventRelay {
  const olderThan = deps.olderThanSeconds ?? 10;
  const effectsOf = deps.effectsOf ?? effectsOfStoredEvent;

  // Declined hand-overs are covered up to this count once a catch-up pass has walked them all.
  let caughtUpTo = 0;

  /**
   * Walks the unapplied events page by page while the applier has room; a backlog drains in one
   * pass. Events only wait to age (`olderThan`: most are in the applier's hands) unless the
   * applier declined some: then every unapplied event is due now, and claims keep an event that
   * both the applier and this pass hold applied once.
   */
  const sweep = async () => {
    const declined = deps.applier.declined();
    const catchingUp = declined > caughtUpTo;
    let swept = 0;
    let complete = false;
    let after: { receivedAt: Date; id: string } | undefined;
    for (let room = deps.applier.room(); room > 0; room = deps.applier.room()) {
      const page = Math.min(PAGE, room);
      const rows = await withPlatform(deps.db, (tx) => listUnappliedEvents(tx, catchingUp ? 0 : olderThan, page, after));
      const pending: PendingEffects[] = [];
      for (const row of rows) {
        const effects = row.company_id ? effectsOf(row) : undefined;
        if (effects) pending.push({ eventId: row.id, companyId: row.company_id!, callRef: row.call_ref ?? row.id, effects });
        else deps.log.error({ eventId: row.id, type: row.event_type }, 'accepted event whose effects cannot be rebuilt from its row');
      }
      // Failures stay unapplied for the next pass; this one moves on past them.
      await deps.applier.apply(pending);
      swept += rows.length;
      if (rows.length < page) {
        complete = true;
        break;
      }
      const last = rows[rows.length - 1]!;
      after = { receivedAt: last.received_at, id: last.id };
    }
    if (catchingUp && complete) caughtUpTo = declined;
    if (swept > 0) deps.log.info({ count: swept, catchingUp }, 'applied stored events whose effects had not committed');
    return swept;
  };

  const relay = async () => {
    const events = await withPlatform(deps.db, (tx) => listUnrelayedEvents(tx, olderThan, PAGE));
    if (events.length === 0) return 0;
    await deps.producer.enqueueMany(events.flatMap((event) => event.jobs as QueuedJob[]));
    await withPlatform(deps.db, (tx) => markWebhookEventsEnqueued(tx, events.map((event) => event.id)));
    deps.log.info({ count: events.length }, 'relayed stored events to the queue');
    return events.length;
  };

  const runOnce = async () => (await sweep()) + (await relay());
  const task = periodicTask(deps.log, 'relay pass', runOnce);
  // The applier has room again for what it declined: apply it now, not at the next tick.
  deps.applier.onDrainedAfterDeclining(() => task.runNow());
  return { runOnce, ...task };
}
