import { Counter, Gauge, Histogram } from 'prom-client';
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
    commitBatchSize: new Histogram({
      name: 'callvault_event_commit_batch_size',
      help: 'Webhook events committed together in one transaction (group commit); grows with load.',
      buckets: [1, 2, 5, 10, 25, 50, 100],
      registers: [registry],
    }),
    commitFallbacks: new Counter({
      name: 'callvault_event_commit_fallbacks_total',
      help: 'Batches whose shared commit failed (a bad event, a deadlock, an outage) and were retried event by event.',
      registers: [registry],
    }),
    effectsBatchSize: new Histogram({
      name: 'callvault_event_effects_batch_size',
      help: 'Accepted events whose effects (calls, recordings, jobs) were applied together in one transaction after their acknowledgement.',
      buckets: [1, 2, 5, 10, 25, 50, 100],
      registers: [registry],
    }),
    effectsFallbacks: new Counter({
      name: 'callvault_event_effects_fallbacks_total',
      help: 'Effects batches whose shared commit failed and were retried event by event.',
      registers: [registry],
    }),
    effectsFailures: new Counter({
      name: 'callvault_event_effects_failures_total',
      help: 'Events whose effects failed to commit; they stay unapplied and the relay sweep applies them again.',
      registers: [registry],
    }),
    effectsDeclined: new Counter({
      name: 'callvault_event_effects_declined_total',
      help: 'Acknowledged events whose effects this process had no room for (backlog at 5000); the sweep applies them from Postgres as soon as the backlog drains.',
      registers: [registry],
    }),
    effectsBacklog: new Gauge({
      name: 'callvault_event_effects_backlog',
      help: 'Accepted events handed to this process whose effects are not yet applied (at most 5000; past it the sweep applies them from Postgres).',
      registers: [registry],
    }),
    fetchRedrives: new Counter({
      name: 'callvault_fetch_redrives_total',
      help: 'Fetch jobs enqueued again for recordings stalled in pending/fetching past FETCH_REDRIVE_AFTER_SECONDS (lost jobs, or very slow ones).',
      registers: [registry],
    }),
    credentialReads: new Counter({
      name: 'callvault_provider_credential_reads_total',
      help: 'Reads of a provider account\'s registrations from Postgres (cache misses and rate-limited refreshes). A flood of forged webhooks must not move it per request.',
      labelNames: ['provider'],
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
