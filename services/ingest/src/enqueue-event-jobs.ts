import { markWebhookEventsEnqueued, withPlatform, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Producer, QueuedJob } from '@callvault/queue';

/** Past this, a slow or absent Redis is the relay's problem, not the webhook's. */
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

/** Enqueues the jobs of stored events in one go and marks them; a Redis failure is left to the relay. */
export async function enqueueEventJobs(deps: { db: Db; producer: Producer; log: Logger }, applied: Array<{ eventId: string; jobs: QueuedJob[] }>): Promise<void> {
  const withJobs = applied.filter((event) => event.jobs.length > 0);
  if (withJobs.length === 0) return;
  try {
    // BullMQ waits for a connection that may never come: the applier must not wait with it.
    await withDeadline(deps.producer.enqueueMany(withJobs.flatMap((event) => event.jobs)), ENQUEUE_DEADLINE_MS);
  } catch (error) {
    deps.log.warn({ err: error, events: withJobs.length }, 'enqueue failed; left to the relay');
    return;
  }
  // A lost mark only makes the relay enqueue again, which deterministic job ids make a no-op.
  await withPlatform(deps.db, (tx) => markWebhookEventsEnqueued(tx, withJobs.map((event) => event.eventId)), { synchronousCommit: false }).catch((error: unknown) =>
    deps.log.warn({ err: error }, 'could not mark events enqueued; the relay will redo it'),
  );
}
