import { listUnrelayedEvents, markWebhookEventsEnqueued, withPlatform, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Producer, QueuedJob } from '@callvault/queue';
import { periodicTask, type PeriodicTask } from '@callvault/service-kit';

export interface EventRelay extends PeriodicTask {
  /** One pass: enqueue the jobs of accepted events that never reached Redis. Returns how many events. */
  runOnce(): Promise<number>;
}

/**
 * The other half of "stored first": an event acknowledged while Redis was down has its jobs in
 * its row. Deterministic job ids make a second enqueue of the same job a no-op, so running this
 * on every ingest replica at once is safe.
 */
export function createEventRelay(deps: { db: Db; producer: Producer; log: Logger; olderThanSeconds?: number }): EventRelay {
  const runOnce = async () => {
    const events = await withPlatform(deps.db, (tx) => listUnrelayedEvents(tx, deps.olderThanSeconds ?? 10, 500));
    if (events.length === 0) return 0;
    await deps.producer.enqueueMany(events.flatMap((event) => event.jobs as QueuedJob[]));
    await withPlatform(deps.db, (tx) => markWebhookEventsEnqueued(tx, events.map((event) => event.id)));
    deps.log.info({ count: events.length }, 'relayed stored events to the queue');
    return events.length;
  };
  return { runOnce, ...periodicTask(deps.log, 'relay pass', runOnce) };
}
