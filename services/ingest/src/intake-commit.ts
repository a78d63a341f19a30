import { randomUUID } from 'node:crypto';
import { insertWebhookEvents, withPlatform, type Db, type NewWebhookEvent } from '@callvault/db';
import { describeJob } from '@callvault/queue';
import type { QueuedJob } from '@callvault/queue';
import type { PendingEffects } from './effects-commit';
import type { IntakeEvent, IntakeOutcome, PreparedEvent } from './event-intake';

export type StoredStatus = Exclude<IntakeOutcome, 'duplicate'>;

/**
 * A new event; `effects` when it was accepted and has some, to be applied after the reply;
 * `jobs` when it was quarantined with a tenant lookup to enqueue.
 */
export type CommittedEvent = { duplicate: true } | { duplicate: false; status: StoredStatus; eventId: string; effects?: PendingEffects; jobs?: QueuedJob[] };

function storedStatusOf(prepared: PreparedEvent | undefined): StoredStatus {
  return prepared === undefined ? 'rejected' : prepared.resolution.kind === 'resolved' ? 'accepted' : 'quarantined';
}

function toRow(event: IntakeEvent, prepared: PreparedEvent | undefined): NewWebhookEvent {
  const resolution = prepared?.resolution;
  // The id is chosen here so that a quarantined event's lookup job can name it before it is stored.
  const id = randomUUID();
  return {
    id,
    companyId: resolution?.kind === 'resolved' ? resolution.companyId : null,
    ownerUserId: resolution?.kind === 'resolved' ? resolution.ownerUserId : null,
    provider: event.provider,
    eventType: event.eventType,
    idempotencyKey: event.idempotencyKey,
    status: storedStatusOf(prepared),
    reason: resolution === undefined ? event.rejectReason ?? 'malformed' : resolution.kind === 'quarantined' ? resolution.reason : null,
    externalAccountId: event.externalAccountId,
    callRef: event.callRef,
    payload: event.payload,
    requestPath: event.requestPath,
    authenticatedCompanyIds: event.authenticatedCompanyIds,
    ...(resolution?.kind === 'quarantined' && prepared?.lookUpTenant ? { jobs: [describeJob('tenant-lookup', { eventId: id })] } : {}),
  };
}

/**
 * Stores a batch of events in one transaction: tenant lookups, then every event row in one
 * statement (a key already stored, or repeated in the batch, is a duplicate with no effect).
 * This is all a webhook waits for; the effects of the accepted ones follow (effects-commit.ts).
 */
export async function commitEvents(db: Db, events: IntakeEvent[]): Promise<CommittedEvent[]> {
  return withPlatform(db, async (platformTx) => {
    const prepared: Array<PreparedEvent | undefined> = [];
    for (const event of events) prepared.push(event.prepare ? await event.prepare(platformTx) : undefined);
    const rows = events.map((event, index) => toRow(event, prepared[index]));
    const insertedIds = await insertWebhookEvents(platformTx, rows);
    const claimed = new Set<string>();
    return events.map((event, index): CommittedEvent => {
      const eventId = insertedIds.get(event.idempotencyKey);
      if (!eventId || claimed.has(event.idempotencyKey)) return { duplicate: true };
      claimed.add(event.idempotencyKey);
      const ready = prepared[index];
      const resolution = ready?.resolution;
      const effects = resolution?.kind === 'resolved' && ready?.effects ? { eventId, companyId: resolution.companyId, callRef: event.callRef ?? eventId, effects: ready.effects } : undefined;
      const jobs = rows[index]!.jobs as QueuedJob[] | undefined;
      return { duplicate: false, status: storedStatusOf(ready), eventId, ...(effects ? { effects } : {}), ...(jobs?.length ? { jobs } : {}) };
    });
  });
}
