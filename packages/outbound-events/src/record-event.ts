import { insertEventDeliveries, insertOutboxJobs, requeueDelivery, type CompanyTx, type OutboundEventType, type WebhookDelivery } from '@callvault/db';
import { describeJob } from '@callvault/queue';

/**
 * Records an outbound event in the transaction of the change it reports: a delivery for each
 * endpoint of the company that asked for this type, and each delivery's job in the outbox. It
 * commits with the change or not at all, so Redis or an endpoint being down loses nothing.
 * `data` carries ids and metadata only: never audio, secrets, phone numbers or signed URLs.
 */
export async function recordOutboundEvent(tx: CompanyTx, type: OutboundEventType, data: Record<string, string | number | boolean | null>): Promise<number> {
  const deliveryIds = await insertEventDeliveries(tx, type, data);
  await insertOutboxJobs(
    tx,
    deliveryIds.map((deliveryId) => describeJob('webhook-delivery', { companyId: tx.scope.companyId, deliveryId })),
  );
  return deliveryIds.length;
}

/** A delivery sent again at a person's request: same delivery, same webhook-id, a new job. */
export async function redeliver(tx: CompanyTx, endpointId: string, deliveryId: string): Promise<WebhookDelivery | undefined> {
  const delivery = await requeueDelivery(tx, endpointId, deliveryId);
  if (delivery)
    await insertOutboxJobs(tx, [describeJob('webhook-delivery', { companyId: tx.scope.companyId, deliveryId, requestedAt: new Date().toISOString() })]);
  return delivery;
}
