import { listUnrelayedEvents, markWebhookEventsEnqueued, withPlatform, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Producer, QueuedJob } from '@callvault/queue';

export interface EventRelay {
  /** One pass: enqueue the jobs of accepted events that never reached Redis. Returns how many events. */
  runOnce(): Promise<number>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/**
 * The other half of "stored first": an event acknowledged while Redis was down has its jobs in
 * its row. Deterministic job ids make a second enqueue of the same job a no-op, so running this
 * on every ingest replica at once is safe.
 */
export function createEventRelay(deps: { db: Db; producer: Producer; log: Logger; olderThanSeconds?: number }): EventRelay {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const runOnce = async () => {
    const events = await withPlatform(deps.db, (tx) => listUnrelayedEvents(tx, deps.olderThanSeconds ?? 10, 500));
    if (events.length === 0) return 0;
    const relayed: string[] = [];
    for (const event of events) {
      await deps.producer.enqueueMany(event.jobs as QueuedJob[]);
      relayed.push(event.id);
    }
    await withPlatform(deps.db, (tx) => markWebhookEventsEnqueued(tx, relayed));
    deps.log.info({ count: relayed.length }, 'relayed stored events to the queue');
    return relayed.length;
  };

  return {
    runOnce,
    start(intervalMs) {
      timer = setInterval(() => {
        if (running) return;
        running = runOnce()
          .catch((error: unknown) => {
            deps.log.warn({ err: error }, 'relay pass failed; will retry');
            return 0;
          })
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
