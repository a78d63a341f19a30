import { Counter } from 'prom-client';
import { createMetricsRegistry, eventStoreHistogram } from '@callvault/service-kit';
import type { IngestMetrics } from './ingest-deps';

export function createIngestMetrics(): IngestMetrics {
  const registry = createMetricsRegistry('ingest');
  return {
    registry,
    eventStore: eventStoreHistogram(registry),
    webhooks: new Counter({
      name: 'callvault_webhooks_total',
      help: 'Webhooks received, by provider, event type and outcome (accepted, duplicate, quarantined, rejected, unauthenticated, unavailable).',
      labelNames: ['provider', 'type', 'outcome'],
      registers: [registry],
    }),
    tagsRejected: new Counter({
      name: 'callvault_tenant_tags_rejected_total',
      help: 'Signed tenant tags ignored because their HMAC, expiry or company did not check out.',
      labelNames: ['provider'],
      registers: [registry],
    }),
  };
}
