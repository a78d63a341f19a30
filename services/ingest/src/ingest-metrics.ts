import { Counter, Gauge, Histogram } from 'prom-client';
import { unappliedBacklog, withPlatform, type Db } from '@callvault/db';
import { createMetricsRegistry, eventStoreHistogram } from '@callvault/service-kit';
import type { IngestMetrics } from './ingest-deps';

export function createIngestMetrics(db: Db): IngestMetrics {
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
      help: 'Stored events whose effects (calls, recordings, jobs) one pass of the effects loop claimed and applied in one transaction.',
      buckets: [1, 2, 5, 10, 25, 50, 100],
      registers: [registry],
    }),
    effectsApplied: new Counter({
      name: 'callvault_event_effects_applied_total',
      help: 'Stored events whose effects the effects loop applied.',
      registers: [registry],
    }),
    effectsFailures: new Counter({
      name: 'callvault_event_effects_failures_total',
      help: 'Events whose effects failed to apply; each waits 2^attempts seconds (an hour at most) before the loop tries it again. Its reason is on the event row (effects_error).',
      registers: [registry],
    }),
    effectsLag: new Gauge({
      name: 'callvault_event_effects_lag_seconds',
      help: 'Age of the oldest accepted event whose effects are not applied yet (0 when none): how far the dashboard trails the webhooks.',
      registers: [registry],
      async collect() {
        const backlog = await withPlatform(db, (tx) => unappliedBacklog(tx)).catch(() => undefined);
        this.set(backlog?.oldest ? Math.max(0, (Date.now() - backlog.oldest.getTime()) / 1000) : 0);
      },
    }),
    jobsRelayed: new Counter({
      name: 'callvault_outbox_jobs_relayed_total',
      help: 'Jobs moved from the outbox (committed with the change that implies them) into Redis.',
      registers: [registry],
    }),
    credentialReads: new Counter({
      name: 'callvault_provider_credential_reads_total',
      help: "Reads of a provider account's registrations from Postgres (cache misses and rate-limited refreshes). A flood of forged webhooks must not move it per request.",
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
