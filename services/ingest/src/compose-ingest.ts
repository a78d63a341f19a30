import type { Config } from '@callvault/config';
import { createSecretBox } from '@callvault/crypto';
import { pingDb, type Db } from '@callvault/db';
import { createEffectsLoop, createProviderDirectory } from '@callvault/events';
import type { Logger } from '@callvault/logging';
import type { Producer } from '@callvault/queue';
import { createOutboxRelay } from '@callvault/service-kit';
import { createEventIntake } from './event-intake';
import type { IngestDeps } from './ingest-deps';
import { createIngestMetrics } from './ingest-metrics';

/** Wires ingest's parts from its connections; main.ts and the tests share it. */
export function composeIngest(input: { config: Config; db: Db; producer: Producer; log: Logger }): IngestDeps {
  const { config, db, producer, log } = input;
  if (!config.SECRETS_KEY || !config.TAG_SIGNING_KEY) throw new Error('ingest needs SECRETS_KEY and TAG_SIGNING_KEY');
  const metrics = createIngestMetrics(db);
  const relay = createOutboxRelay({ db, producer, log, relayed: metrics.jobsRelayed });
  const effects = createEffectsLoop({
    db,
    log,
    metrics: { batchSize: metrics.effectsBatchSize, applied: metrics.effectsApplied, failures: metrics.effectsFailures },
    onApplied: () => relay.wake(),
  });
  return {
    config: { ...config, TAG_SIGNING_KEY: config.TAG_SIGNING_KEY },
    db,
    directory: createProviderDirectory(db, createSecretBox(config.SECRETS_KEY), { reads: metrics.credentialReads }),
    resolution: { tagSigningKey: config.TAG_SIGNING_KEY, tagsRejected: metrics.tagsRejected },
    intake: createEventIntake({
      db,
      log,
      onStored: () => effects.wake(),
      storeSeconds: metrics.eventStore,
      batchSize: metrics.commitBatchSize,
      fallbacks: metrics.commitFallbacks,
    }),
    effects,
    relay,
    log,
    metrics,
    // Ingest acknowledges with Redis down (the outbox keeps the jobs), so only Postgres decides readiness.
    readiness: { postgres: () => pingDb(db) },
  };
}
