import { sql } from 'kysely';
import type { CompanyTx } from '../client';
import type { OutboundEventType, WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint } from '../schema';
import { byTimestamp, sortedPage, sortValueOf, type SortPosition } from './keyset-page';

export interface EndpointFields {
  url: string;
  description: string | null;
  eventTypes: OutboundEventType[];
}

const ENDPOINT_ORDER = byTimestamp('webhook_endpoints.created_at', 'webhook_endpoints.id', 'asc');
const DELIVERY_ORDER = byTimestamp('webhook_deliveries.created_at', 'webhook_deliveries.id', 'desc');

export type WebhookEndpointRow = WebhookEndpoint & { sort_value: string | number | null };
export type WebhookDeliveryRow = WebhookDelivery & { sort_value: string | number | null; attempt_list: WebhookDeliveryAttempt[] };

/**
 * The deliveries of an outbound event: one per enabled endpoint of the company that asked for
 * this type, in the caller's transaction (see @callvault/outbound-events, which adds their jobs).
 */
export async function insertEventDeliveries(tx: CompanyTx, type: OutboundEventType, data: Record<string, unknown>): Promise<string[]> {
  const companyId = tx.scope.companyId;
  const deliveries = await sql<{ id: string }>`
    INSERT INTO webhook_deliveries (company_id, endpoint_id, event_type, payload)
    SELECT company_id, id, ${type}, ${JSON.stringify({ type, timestamp: new Date().toISOString(), data: { companyId, ...data } })}::jsonb
    FROM webhook_endpoints
    WHERE company_id = ${companyId} AND enabled AND ${type} = ANY(event_types)
    RETURNING id`.execute(tx);
  return deliveries.rows.map((row) => row.id);
}

export async function insertWebhookEndpoint(tx: CompanyTx, fields: EndpointFields, secretSealed: (id: string) => string): Promise<WebhookEndpoint> {
  const id = (await sql<{ id: string }>`SELECT gen_random_uuid()::text AS id`.execute(tx)).rows[0]!.id;
  return tx
    .insertInto('webhook_endpoints')
    .values({
      id,
      company_id: tx.scope.companyId,
      url: fields.url,
      description: fields.description,
      event_types: fields.eventTypes,
      secret_sealed: secretSealed(id),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listWebhookEndpointsPage(tx: CompanyTx, page: { limit: number; after: SortPosition | null }): Promise<WebhookEndpointRow[]> {
  const query = tx
    .selectFrom('webhook_endpoints')
    .selectAll()
    .select(sortValueOf(ENDPOINT_ORDER).as('sort_value'))
    .where('webhook_endpoints.company_id', '=', tx.scope.companyId);
  return sortedPage(query, ENDPOINT_ORDER, page.after, page.limit);
}

export async function getWebhookEndpoint(tx: CompanyTx, id: string): Promise<WebhookEndpoint | undefined> {
  return tx.selectFrom('webhook_endpoints').selectAll().where('company_id', '=', tx.scope.companyId).where('id', '=', id).executeTakeFirst();
}

/** Re-enabling an endpoint clears its failure count and the reason it was disabled. */
export async function updateWebhookEndpoint(
  tx: CompanyTx,
  id: string,
  patch: Partial<EndpointFields> & { enabled?: boolean },
): Promise<WebhookEndpoint | undefined> {
  return tx
    .updateTable('webhook_endpoints')
    .set({
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.eventTypes !== undefined ? { event_types: patch.eventTypes } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled, ...(patch.enabled ? { disabled_reason: null, consecutive_failures: 0 } : {}) } : {}),
      updated_at: new Date(),
    })
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteWebhookEndpoint(tx: CompanyTx, id: string): Promise<boolean> {
  const result = await tx.deleteFrom('webhook_endpoints').where('company_id', '=', tx.scope.companyId).where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** An endpoint's deliveries, newest first, each with its attempts. */
export async function listWebhookDeliveriesPage(
  tx: CompanyTx,
  endpointId: string,
  page: { limit: number; after: SortPosition | null },
): Promise<WebhookDeliveryRow[]> {
  const query = tx
    .selectFrom('webhook_deliveries')
    .selectAll()
    .select(sortValueOf(DELIVERY_ORDER).as('sort_value'))
    .select(
      sql<
        WebhookDeliveryAttempt[]
      >`coalesce((SELECT jsonb_agg(a ORDER BY a.attempted_at) FROM webhook_delivery_attempts a WHERE a.company_id = webhook_deliveries.company_id AND a.delivery_id = webhook_deliveries.id), '[]'::jsonb)`.as(
        'attempt_list',
      ),
    )
    .where('webhook_deliveries.company_id', '=', tx.scope.companyId)
    .where('webhook_deliveries.endpoint_id', '=', endpointId);
  return sortedPage(query, DELIVERY_ORDER, page.after, page.limit);
}

/** A delivery with what the worker needs to send it: its endpoint (URL, sealed secret, whether enabled). */
export async function getDeliveryWithEndpoint(
  tx: CompanyTx,
  deliveryId: string,
): Promise<{ delivery: WebhookDelivery; endpoint: WebhookEndpoint } | undefined> {
  const delivery = await tx
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (!delivery) return undefined;
  const endpoint = await tx
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('company_id', '=', tx.scope.companyId)
    .where('id', '=', delivery.endpoint_id)
    .executeTakeFirst();
  return endpoint ? { delivery, endpoint } : undefined;
}

/** A redelivery asked for by a person: the delivery is pending again (the caller records its job). */
export async function requeueDelivery(tx: CompanyTx, endpointId: string, deliveryId: string): Promise<WebhookDelivery | undefined> {
  return tx
    .updateTable('webhook_deliveries')
    .set({ status: 'pending' })
    .where('company_id', '=', tx.scope.companyId)
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', deliveryId)
    .returningAll()
    .executeTakeFirst();
}

export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  responseExcerpt: string | null;
  delivered: boolean;
  /** No attempt follows this one. */
  final: boolean;
}

/**
 * One attempt recorded, with its effect on the delivery and the endpoint: a success resets the
 * endpoint's failure count; a failure adds one, and at `disableAfter` consecutive failures the
 * endpoint is disabled and says why. Returns whether the endpoint was disabled now.
 */
export async function recordDeliveryAttempt(tx: CompanyTx, delivery: WebhookDelivery, outcome: AttemptOutcome, disableAfter: number): Promise<boolean> {
  const companyId = tx.scope.companyId;
  const attempt = delivery.attempts + 1;
  await tx
    .insertInto('webhook_delivery_attempts')
    .values({
      company_id: companyId,
      delivery_id: delivery.id,
      attempt,
      status_code: outcome.statusCode,
      error: outcome.error,
      latency_ms: outcome.latencyMs,
      response_excerpt: outcome.responseExcerpt,
    })
    .execute();
  await tx
    .updateTable('webhook_deliveries')
    .set({ attempts: attempt, ...(outcome.delivered ? { status: 'delivered', delivered_at: new Date() } : outcome.final ? { status: 'failed' } : {}) })
    .where('company_id', '=', companyId)
    .where('id', '=', delivery.id)
    .execute();
  if (outcome.delivered) {
    // Only when there is a count to reset: an update that changes nothing still locks the
    // endpoint's row, and every concurrent delivery to that endpoint would queue behind it.
    await tx
      .updateTable('webhook_endpoints')
      .set({ consecutive_failures: 0 })
      .where('company_id', '=', companyId)
      .where('id', '=', delivery.endpoint_id)
      .where('consecutive_failures', '>', 0)
      .execute();
    return false;
  }
  const endpoint = await tx
    .updateTable('webhook_endpoints')
    .set({ consecutive_failures: sql<number>`consecutive_failures + 1` })
    .where('company_id', '=', companyId)
    .where('id', '=', delivery.endpoint_id)
    .returning(['consecutive_failures', 'enabled'])
    .executeTakeFirst();
  if (!endpoint?.enabled || endpoint.consecutive_failures < disableAfter) return false;
  await tx
    .updateTable('webhook_endpoints')
    .set({
      enabled: false,
      disabled_reason: `disabled after ${endpoint.consecutive_failures} consecutive failed attempts; the last: ${(outcome.error ?? `HTTP ${outcome.statusCode}`).slice(0, 200)}`,
      updated_at: new Date(),
    })
    .where('company_id', '=', companyId)
    .where('id', '=', delivery.endpoint_id)
    .execute();
  return true;
}
