import { sql } from 'kysely';
import type { PlatformTx } from '../client';
import type { Provider, QueuedJobRecord, WebhookEvent, WebhookEventStatus } from '../schema';

export interface NewWebhookEvent {
  /** Chosen by the caller when jobs must name the event before it is stored; generated otherwise. */
  id?: string;
  companyId: string | null;
  provider: Provider;
  eventType: string;
  idempotencyKey: string;
  status: WebhookEventStatus;
  reason?: string | null;
  externalAccountId?: string | null;
  callRef?: string | null;
  payload: Record<string, unknown>;
  requestPath: string;
  /** The owner user the tenant resolution found, kept for the effects that follow. */
  ownerUserId?: string | null;
  /** Companies whose own credential authenticated the request. */
  authenticatedCompanyIds?: string[];
  /** Jobs of a quarantined event (a tenant lookup), relayed like an applied event's; none: nothing to relay. */
  jobs?: QueuedJobRecord[];
}

const toRow = (event: NewWebhookEvent) => ({
  ...(event.id ? { id: event.id } : {}),
  company_id: event.companyId,
  provider: event.provider,
  event_type: event.eventType,
  idempotency_key: event.idempotencyKey,
  status: event.status,
  reason: event.reason ?? null,
  external_account_id: event.externalAccountId ?? null,
  call_ref: event.callRef ?? null,
  payload: JSON.stringify(event.payload),
  request_path: event.requestPath,
  owner_user_id: event.ownerUserId ?? null,
  authenticated_company_ids: event.authenticatedCompanyIds ?? [],
  jobs: JSON.stringify(event.jobs ?? []),
  // A quarantined event with nothing to relay is done with the queue; an accepted one waits for its effects.
  enqueued_at: event.status === 'quarantined' && !event.jobs?.length ? new Date() : null,
});

/**
 * One atomic statement: the unique idempotency key decides whether this delivery is new.
 * Returns undefined for a duplicate (a retry or an overlapping callback): it must have no effect.
 */
export async function insertWebhookEvent(tx: PlatformTx, event: NewWebhookEvent): Promise<{ id: string } | undefined> {
  const id = (await insertWebhookEvents(tx, [event])).get(event.idempotencyKey);
  return id === undefined ? undefined : { id };
}

/**
 * Many deliveries in one statement. Returns the id of each new event by idempotency key; a key
 * missing from the map was a duplicate (stored before, or twice in this batch: the first wins).
 * Rows go in key order so that concurrent batches take the key locks in one order.
 */
export async function insertWebhookEvents(tx: PlatformTx, events: NewWebhookEvent[]): Promise<Map<string, string>> {
  if (events.length === 0) return new Map();
  const rows = events.map(toRow).sort((a, b) => (a.idempotency_key < b.idempotency_key ? -1 : a.idempotency_key > b.idempotency_key ? 1 : 0));
  const inserted = await tx.insertInto('webhook_events').values(rows).onConflict((conflict) => conflict.column('idempotency_key').doNothing()).returning(['id', 'idempotency_key']).execute();
  return new Map(inserted.map((row) => [row.idempotency_key, row.id]));
}

/**
 * Takes the accepted events among `ids` whose effects are still to come, for this transaction,
 * and returns their ids. The row locks are the claim: rows another transaction holds (it is
 * applying them) are skipped, not waited for, and once that one commits `applied_at` rules them
 * out. Locking writes no new row version; `recordAppliedEffects` writes the one that counts.
 */
export async function claimEventsForEffects(tx: PlatformTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const claimed = await sql<{ id: string }>`SELECT id FROM webhook_events
    WHERE id = ANY(${ids}::uuid[]) AND status = 'accepted' AND applied_at IS NULL
    ORDER BY id FOR UPDATE SKIP LOCKED`.execute(tx);
  return new Set(claimed.rows.map((row) => row.id));
}

/**
 * Marks claimed events applied, in the transaction of their effects, with the jobs they caused:
 * an event with jobs waits (enqueued_at null) until they are in Redis, one without is done.
 */
export async function recordAppliedEffects(tx: PlatformTx, entries: Array<{ eventId: string; jobs: QueuedJobRecord[] }>): Promise<void> {
  if (entries.length === 0) return;
  const ids = entries.map((entry) => entry.eventId);
  const jobs = entries.map((entry) => JSON.stringify(entry.jobs));
  await sql`UPDATE webhook_events
    SET applied_at = now(), jobs = batch.jobs, enqueued_at = CASE WHEN jsonb_array_length(batch.jobs) = 0 THEN now() END
    FROM (SELECT unnest(${ids}::uuid[]) AS id, unnest(${jobs}::jsonb[]) AS jobs) AS batch
    WHERE webhook_events.id = batch.id`.execute(tx);
}

/**
 * The jobs of many events at once, not yet in Redis: the relay enqueues them if the enqueue
 * after the commit does not happen.
 */
export async function setWebhookEventsJobs(tx: PlatformTx, entries: Array<{ eventId: string; jobs: QueuedJobRecord[] }>): Promise<void> {
  if (entries.length === 0) return;
  const ids = entries.map((entry) => entry.eventId);
  const jobs = entries.map((entry) => JSON.stringify(entry.jobs));
  await sql`UPDATE webhook_events SET jobs = batch.jobs, enqueued_at = NULL
    FROM (SELECT unnest(${ids}::uuid[]) AS id, unnest(${jobs}::jsonb[]) AS jobs) AS batch
    WHERE webhook_events.id = batch.id`.execute(tx);
}

/**
 * Accepted events whose effects never committed (a crash, an outage, an overflow), oldest first,
 * after `after` (the last row of the previous page) when given.
 */
export async function listUnappliedEvents(tx: PlatformTx, olderThanSeconds: number, limit: number, after?: { receivedAt: Date; id: string }): Promise<WebhookEvent[]> {
  let query = tx
    .selectFrom('webhook_events')
    .selectAll()
    .where('status', '=', 'accepted')
    .where('applied_at', 'is', null)
    .where('received_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`);
  if (after) query = query.where(sql<boolean>`(received_at, id) > (${after.receivedAt}, ${after.id}::uuid)`);
  return query.orderBy('received_at').orderBy('id').limit(limit).execute();
}

export async function markWebhookEventsEnqueued(tx: PlatformTx, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await tx.updateTable('webhook_events').set({ enqueued_at: new Date() }).where('id', 'in', eventIds).execute();
}

/**
 * Applied events (and quarantined ones with a tenant lookup) whose jobs never reached Redis,
 * oldest first; `olderThanSeconds` skips requests still in flight.
 */
export async function listUnrelayedEvents(tx: PlatformTx, olderThanSeconds: number, limit: number): Promise<WebhookEvent[]> {
  return tx
    .selectFrom('webhook_events')
    .selectAll()
    .where('status', 'in', ['accepted', 'quarantined'])
    .where('enqueued_at', 'is', null)
    .where((eb) => eb.or([eb('status', '=', 'quarantined'), eb('applied_at', 'is not', null)]))
    .where('received_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .orderBy('received_at')
    .limit(limit)
    .execute();
}

export async function getWebhookEvent(tx: PlatformTx, id: string): Promise<WebhookEvent | undefined> {
  return tx.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest accepted event of a type for a provider call, in this company: a call's source material. */
export async function latestCallEventPayload(tx: import('../client').CompanyTx, eventType: string, callRef: string): Promise<Record<string, unknown> | undefined> {
  const row = await tx
    .selectFrom('webhook_events')
    .select('payload')
    .where('company_id', '=', tx.scope.companyId)
    .where('call_ref', '=', callRef)
    .where('event_type', '=', eventType)
    .where('status', '=', 'accepted')
    .orderBy('received_at', 'desc')
    .executeTakeFirst();
  return row?.payload;
}

/**
 * The company and owner of a call known so far only from accepted events whose effects have not
 * committed yet (they follow the reply): the call row does not exist, but its company is decided.
 */
export async function findPendingCallOwner(tx: PlatformTx, provider: Provider, callRef: string, companyIds: string[]): Promise<{ companyId: string; ownerUserId: string | null } | undefined> {
  if (companyIds.length === 0) return undefined;
  const row = await tx
    .selectFrom('webhook_events')
    .select(['company_id', 'owner_user_id'])
    .where('company_id', 'in', companyIds)
    .where('call_ref', '=', callRef)
    .where('provider', '=', provider)
    .where('status', '=', 'accepted')
    .where('applied_at', 'is', null)
    .orderBy('received_at')
    .executeTakeFirst();
  return row?.company_id ? { companyId: row.company_id, ownerUserId: row.owner_user_id } : undefined;
}

/** Locks a quarantined event for a replay; undefined when it is not (or no longer) quarantined. */
export async function lockQuarantinedEvent(tx: PlatformTx, id: string): Promise<WebhookEvent | undefined> {
  return tx.selectFrom('webhook_events').selectAll().where('id', '=', id).where('status', '=', 'quarantined').forUpdate().executeTakeFirst();
}

/**
 * A replayed event that now resolves: it joins its company as if it had been accepted on arrival.
 * Its effects commit in the same transaction, so it is applied at once.
 */
export async function acceptQuarantinedEvent(tx: PlatformTx, id: string, resolved: { companyId: string; ownerUserId: string | null }): Promise<void> {
  await tx
    .updateTable('webhook_events')
    .set({ status: 'accepted', company_id: resolved.companyId, owner_user_id: resolved.ownerUserId, reason: null, applied_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'quarantined')
    .execute();
}

/** Accepted Twilio transcription callbacks for a recording, newest first (found through its call). */
export async function findTwilioTranscriptionPayloads(tx: import('../client').CompanyTx, recording: { call_id: string; provider_recording_id: string }): Promise<unknown[]> {
  const rows = await tx
    .selectFrom('webhook_events')
    .select('payload')
    .where('company_id', '=', tx.scope.companyId)
    .where('call_ref', '=', (eb) =>
      eb.selectFrom('calls').select('twilio_call_sid').where('company_id', '=', tx.scope.companyId).where('id', '=', recording.call_id),
    )
    .where('provider', '=', 'twilio')
    .where('event_type', '=', 'transcription')
    .where('status', '=', 'accepted')
    .where((eb) => eb(eb.ref('payload', '->>').key('RecordingSid' as never), '=', recording.provider_recording_id))
    .orderBy('received_at', 'desc')
    .execute();
  return rows.map((row) => row.payload);
}
