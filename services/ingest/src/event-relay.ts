import { listUnappliedEvents, listUnrelayedEvents, markWebhookEventsEnqueued, withPlatform, type Db, type WebhookEvent } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Producer, QueuedJob } from '@callvault/queue';
import { periodicTask, type PeriodicTask } from '@callvault/service-kit';
import type { PendingEffects } from './effects-commit';
import { MAX_BACKLOG, type EffectsApplier } from './effects-applier';
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

  /** Walks the unapplied events page by page while the applier has room; a backlog drains in one pass. */
  const sweep = async () => {
    let swept = 0;
    let after: { receivedAt: Date; id: string } | undefined;
    while (deps.applier.backlog() + PAGE <= MAX_BACKLOG) {
      const rows = await withPlatform(deps.db, (tx) => listUnappliedEvents(tx, olderThan, PAGE, after));
      if (rows.length === 0) break;
      const pending: PendingEffects[] = [];
      for (const row of rows) {
        const effects = row.company_id ? effectsOf(row) : undefined;
        if (effects) pending.push({ eventId: row.id, companyId: row.company_id!, callRef: row.call_ref ?? row.id, effects });
        else deps.log.error({ eventId: row.id, type: row.event_type }, 'accepted event whose effects cannot be rebuilt from its row');
      }
      // Failures stay unapplied for the next pass; this one moves on past them.
      await deps.applier.apply(pending);
      swept += rows.length;
      const last = rows[rows.length - 1]!;
      after = { receivedAt: last.received_at, id: last.id };
      if (rows.length < PAGE) break;
    }
    if (swept > 0) deps.log.info({ count: swept }, 'applied stored events whose effects had not committed');
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
  return { runOnce, ...periodicTask(deps.log, 'relay pass', runOnce) };
}
