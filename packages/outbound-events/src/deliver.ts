import type { SecretBox } from '@callvault/crypto';
import { getDeliveryWithEndpoint, recordDeliveryAttempt, withCompany, type Db } from '@callvault/db';
import type { JobContext } from '@callvault/queue';
import { Webhook } from 'standardwebhooks';
import { guardedPost, RefusedDestinationError, type PostPolicy } from './guarded-post';
import { openSigningSecret } from './signing-secret';

/** Consecutive failed attempts (over all its deliveries) after which an endpoint is disabled. */
export const DISABLE_AFTER_FAILURES = 20;
const EXCERPT_CHARS = 500;

export interface DeliveryDeps {
  db: Db;
  box: SecretBox;
  policy: PostPolicy;
}

export type DeliveryOutcome = { outcome: 'delivered'; statusCode: number } | { outcome: 'skipped'; reason: string };

export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
}

/**
 * One attempt of one delivery: signed per Standard Webhooks (`webhook-id` is the delivery's id on
 * every attempt, `webhook-timestamp` the attempt's time), POSTed with the SSRF guards, recorded
 * with its status, latency and the start of the answer. A 2xx delivers; anything else throws so
 * BullMQ retries with backoff, until the last attempt marks the delivery failed.
 */
export async function processWebhookDelivery(
  deps: DeliveryDeps,
  payload: { companyId: string; deliveryId: string },
  context: JobContext,
): Promise<DeliveryOutcome> {
  const found = await withCompany(deps.db, payload.companyId, (tx) => getDeliveryWithEndpoint(tx, payload.deliveryId));
  if (!found) return { outcome: 'skipped', reason: 'the delivery or its endpoint no longer exists' };
  const { delivery, endpoint } = found;
  if (!endpoint.enabled) return { outcome: 'skipped', reason: 'the endpoint is disabled' };
  if (delivery.status === 'delivered') return { outcome: 'skipped', reason: 'already delivered' };

  const body = JSON.stringify(delivery.payload);
  const sentAt = new Date();
  const signer = new Webhook(openSigningSecret(deps.box, endpoint.company_id, endpoint.id, endpoint.secret_sealed));
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'callvault-webhooks/1',
    'webhook-id': delivery.id,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': signer.sign(delivery.id, sentAt, body),
  };
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  let excerpt: string | null = null;
  try {
    const answer = await guardedPost(endpoint.url, body, headers, deps.policy);
    statusCode = answer.statusCode;
    excerpt = answer.body.slice(0, EXCERPT_CHARS);
  } catch (caught) {
    error = caught instanceof RefusedDestinationError ? `refused: ${caught.message}` : caught instanceof Error ? caught.message : String(caught);
    if (caught instanceof RefusedDestinationError) context.log.warn({ endpointId: endpoint.id, destination: caught.detail }, 'webhook destination refused');
  }
  const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const final = !delivered && context.job.attemptsMade + 1 >= (context.job.opts.attempts ?? 1);
  const latencyMs = Math.round(performance.now() - started);
  const disabled = await withCompany(deps.db, payload.companyId, (tx) =>
    recordDeliveryAttempt(tx, delivery, { statusCode, error, latencyMs, responseExcerpt: excerpt, delivered, final }, DISABLE_AFTER_FAILURES),
  );
  if (disabled) context.log.warn({ endpointId: endpoint.id }, 'webhook endpoint disabled after repeated failures');
  if (delivered) return { outcome: 'delivered', statusCode: statusCode! };
  throw new DeliveryFailedError(error ?? `the endpoint answered ${statusCode}`);
}
