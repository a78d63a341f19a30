import { randomUUID } from 'node:crypto';
import { insertOutboxJobs, insertWebhookEvents, withPlatform, type Db, type NewWebhookEvent } from '@callvault/db';
import { describeJob } from '@callvault/queue';
import type { IntakeEvent, IntakeOutcome, Resolution } from './event-types';

export type StoredStatus = Exclude<IntakeOutcome, 'duplicate'>;

/** A delivery's fate: a duplicate of an event stored before (or earlier in the batch), or a new event. */
export type CommittedEvent = { duplicate: true } | { duplicate: false; status: StoredStatus; eventId: string };

function statusOf(resolution: Resolution | undefined): StoredStatus {
  return resolution === undefined ? 'rejected' : resolution.tenant.kind === 'resolved' ? 'accepted' : 'quarantined';
}

function toRow(event: IntakeEvent, resolution: Resolution | undefined): NewWebhookEvent {
  const tenant = resolution?.tenant;
  return {
    // Chosen here, so that a quarantined event's lookup job can name it in the same transaction.
    id: randomUUID(),
    companyId: tenant?.kind === 'resolved' ? tenant.companyId : null,
    ownerUserId: tenant?.kind === 'resolved' ? tenant.ownerUserId : null,
    provider: event.provider,
    eventType: event.eventType,
    idempotencyKey: event.idempotencyKey,
    status: statusOf(resolution),
    reason: tenant === undefined ? (event.rejectReason ?? 'malformed') : tenant.kind === 'quarantined' ? tenant.reason : null,
    externalAccountId: event.externalAccountId,
    callRef: event.callRef,
    payload: event.payload,
    requestPath: event.requestPath,
    authenticatedCompanyIds: event.authenticatedCompanyIds,
    traceparent: event.traceparent,
  };
}

/**
 * Stores a batch of events in one transaction: tenant lookups, then every event row in one
 * statement (a key already stored, or repeated in the batch, is a duplicate with no effect), and
 * the tenant-lookup jobs of the quarantined ones. This is all a webhook waits for: the effects of
 * accepted events are applied afterwards by the claim loop, from the rows stored here.
 */
export async function commitEvents(db: Db, events: IntakeEvent[]): Promise<CommittedEvent[]> {
  return withPlatform(db, async (tx) => {
    const resolutions: Array<Resolution | undefined> = [];
    for (const event of events) resolutions.push(event.resolve ? await event.resolve(tx) : undefined);
    const rows = events.map((event, index) => toRow(event, resolutions[index]));
    const insertedIds = await insertWebhookEvents(tx, rows);
    const claimed = new Set<string>();
    const results = events.map((event, index): CommittedEvent => {
      const eventId = insertedIds.get(event.idempotencyKey);
      if (!eventId || claimed.has(event.idempotencyKey)) return { duplicate: true };
      claimed.add(event.idempotencyKey);
      return { duplicate: false, status: statusOf(resolutions[index]), eventId };
    });
    // Each lookup continues its own event's trace: the batch runs in whichever request's context started it.
    const lookups = results.flatMap((result, index) =>
      !result.duplicate && result.status === 'quarantined' && resolutions[index]?.lookUpTenant
        ? [{ ...describeJob('tenant-lookup', { eventId: result.eventId }), traceparent: events[index]!.traceparent }]
        : [],
    );
    await insertOutboxJobs(tx, lookups);
    return results;
  });
}
