import { sql } from 'kysely';
import type { PlatformTx } from '../client';
import type { Provider, WebhookEvent, WebhookEventStatus } from '../schema';

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
  /** The trace of the request that delivered it, for the effects to join. */
  traceparent?: string | undefined;
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
  // Left out with tracing off: the statement stays the one it was without traces.
  ...(event.traceparent ? { traceparent: event.traceparent } : {}),
});

/**
 * One atomic statement: the idempotency key, unique across every month of the table (the insert
 * trigger of migration 0024 skips a key already stored), decides whether this delivery is new.
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
  const inserted = await tx.insertInto('webhook_events').values(rows).returning(['id', 'idempotency_key']).execute();
  return new Map(inserted.map((row) => [row.idempotency_key, row.id]));
}

/**
 * The next accepted events whose effects are still to come, oldest first, locked for this
 * transaction: events another transaction holds are skipped, not waited for (another replica is
 * applying them), and events whose effects failed wait for their retry time. The row lock is the
 * claim; `markEventsApplied` in the same transaction makes it final.
 *
 * `from` starts the scan at a received time: while a backlog drains, the index still holds the
 * entries of the events just applied (until vacuum), and a scan from the beginning would walk
 * past all of them on every pass. The caller scans from the start whenever a bounded pass comes
 * up short, so nothing before `from` (a retry, a row another replica held) is left behind.
 */
export async function claimUnappliedEvents(tx: PlatformTx, limit: number, from?: Date): Promise<WebhookEvent[]> {
  const rows = await sql<WebhookEvent>`SELECT * FROM webhook_events
    WHERE status = 'accepted' AND applied_at IS NULL AND (effects_retry_at IS NULL OR effects_retry_at <= now())
    ${from ? sql`AND received_at >= ${from}` : sql``}
    ORDER BY received_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(tx);
  return rows.rows;
}

/**
 * The claimed events' effects committed with this transaction. The range of their arrival times
 * lets Postgres skip the months that cannot hold them (usually all but one) when it plans; a Date
 * has milliseconds and the column microseconds, hence the end one millisecond later.
 */
export async function markEventsApplied(tx: PlatformTx, events: ReadonlyArray<Pick<WebhookEvent, 'id' | 'received_at'>>): Promise<void> {
  if (events.length === 0) return;
  const times = events.map((event) => event.received_at.getTime());
  await sql`UPDATE webhook_events SET applied_at = now(), effects_error = NULL, effects_retry_at = NULL
    WHERE id = ANY(${events.map((event) => event.id)}::uuid[])
      AND received_at >= ${new Date(Math.min(...times))} AND received_at < ${new Date(Math.max(...times) + 1)}`.execute(tx);
}

/**
 * An event whose effects failed: it waits 2^attempts seconds (an hour at most) before the loop
 * claims it again, so it never blocks the events behind it; the reason stays visible on the row.
 */
export async function recordEffectsFailure(tx: PlatformTx, id: string, reason: string): Promise<void> {
  await sql`UPDATE webhook_events SET effects_attempts = effects_attempts + 1, effects_error = ${reason.slice(0, 1000)},
    effects_retry_at = now() + make_interval(secs => least(3600, power(2, effects_attempts + 1)))
    WHERE id = ${id}::uuid AND applied_at IS NULL`.execute(tx);
}

/** How far behind the effects are: unapplied accepted events and the age of the oldest. */
export async function unappliedBacklog(tx: PlatformTx): Promise<{ events: number; oldest: Date | null; failing: number }> {
  const row = await sql<{ events: number; oldest: Date | null; failing: number }>`SELECT count(*)::int AS events, min(received_at) AS oldest,
      count(*) FILTER (WHERE effects_attempts > 0)::int AS failing
    FROM webhook_events WHERE status = 'accepted' AND applied_at IS NULL`.execute(tx);
  return row.rows[0] ?? { events: 0, oldest: null, failing: 0 };
}

export async function getWebhookEvent(tx: PlatformTx, id: string): Promise<WebhookEvent | undefined> {
  return tx.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The company and owner of a call known so far only from accepted events whose effects have not
 * committed yet (they follow the reply): the call row does not exist, but its company is decided.
 */
export async function findPendingCallOwner(
  tx: PlatformTx,
  provider: Provider,
  callRef: string,
  companyIds: string[],
): Promise<{ companyId: string; ownerUserId: string | null } | undefined> {
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

/**
 * A quarantined event that now resolves joins its company as if it had been accepted on arrival:
 * its effects are still to come, and the claim loop applies them like any other event's.
 * False when it is not (or no longer) quarantined.
 */
export async function acceptQuarantinedEvent(tx: PlatformTx, id: string, resolved: { companyId: string; ownerUserId: string | null }): Promise<boolean> {
  const updated = await tx
    .updateTable('webhook_events')
    .set({
      status: 'accepted',
      company_id: resolved.companyId,
      owner_user_id: resolved.ownerUserId,
      reason: null,
      applied_at: null,
      effects_attempts: 0,
      effects_retry_at: null,
      effects_error: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'quarantined')
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}
