import type { PlatformTx } from '../../client';
import type { Provider, WebhookEvent, WebhookEventStatus } from '../../schema';
import { byTimestamp, sortedPage, sortValueOf, type SortPosition } from '../keyset-page';

const ORDER = byTimestamp('webhook_events.received_at', 'webhook_events.id', 'desc');

/** A stored event without its payload: lists never carry the provider's body (it holds phone numbers). */
export type WebhookEventSummary = Omit<WebhookEvent, 'payload' | 'owner_user_id' | 'authenticated_company_ids' | 'traceparent'> & {
  sort_value: string | number | null;
};

export interface WebhookEventListRequest {
  status?: WebhookEventStatus;
  provider?: Provider;
  companyId?: string;
  limit: number;
  after: SortPosition | null;
}

/** Newest first, across companies (quarantined events belong to none): platform only. */
export async function listWebhookEventsPage(tx: PlatformTx, request: WebhookEventListRequest): Promise<WebhookEventSummary[]> {
  let query = tx
    .selectFrom('webhook_events')
    .select([
      'id',
      'company_id',
      'provider',
      'event_type',
      'idempotency_key',
      'status',
      'reason',
      'external_account_id',
      'call_ref',
      'request_path',
      'applied_at',
      'effects_attempts',
      'effects_retry_at',
      'effects_error',
      'payload_redacted_at',
      'received_at',
    ])
    .select(sortValueOf(ORDER).as('sort_value'));
  if (request.status) query = query.where('status', '=', request.status);
  if (request.provider) query = query.where('provider', '=', request.provider);
  if (request.companyId) query = query.where('company_id', '=', request.companyId);
  return sortedPage(query, ORDER, request.after, request.limit);
}
