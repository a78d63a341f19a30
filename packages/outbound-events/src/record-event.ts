import { insertEventDeliveries, insertOutboxJobs, requeueDelivery, type CompanyTx, type OutboundEventType, type WebhookDelivery } from '@callvault/db';
import { describeJob } from '@callvault/queue';
import type { OutboundEventData } from './event-payloads';

/**
 * Records an outbound event in the transaction of the change it reports: a delivery for each
 * endpoint of the company that asked for this type, and each delivery's job in the outbox. It
 * commits with the change or not at all, so Redis or an endpoint being down loses nothing.
 * `data` is the type's published payload (EVENT_DATA): ids and metadata only.
 */
export async function recordOutboundEvent<Type extends OutboundEventType>(tx: CompanyTx, type: Type, data: OutboundEventData<Type>): Promise<number> {
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
