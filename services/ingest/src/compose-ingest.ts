import type { Config } from '@callvault/config';
import { createSecretBox } from '@callvault/crypto';
import { pingDb, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Producer } from '@callvault/queue';
import { createEffectsApplier } from './effects-applier';
import { createEventIntake } from './event-intake';
import type { IngestDeps } from './ingest-deps';
import { createIngestMetrics } from './ingest-metrics';
import { createProviderDirectory } from './provider-directory';

/** Wires ingest's parts from its connections; main.ts and the tests share it. */
export function composeIngest(input: { config: Config; db: Db; producer: Producer; log: Logger }): IngestDeps {
  const { config, db, producer, log } = input;
  if (!config.SECRETS_KEY || !config.TAG_SIGNING_KEY) throw new Error('ingest needs SECRETS_KEY and TAG_SIGNING_KEY');
  const box = createSecretBox(config.SECRETS_KEY);
  const metrics = createIngestMetrics();
  const applier = createEffectsApplier({
    db,
    producer,
    log,
    batchSize: metrics.effectsBatchSize,
    fallbacks: metrics.effectsFallbacks,
    failures: metrics.effectsFailures,
    declinedCounter: metrics.effectsDeclined,
    backlogGauge: metrics.effectsBacklog,
  });
  return {
    config: { ...config, TAG_SIGNING_KEY: config.TAG_SIGNING_KEY },
    db,
    producer,
    box,
    directory: createProviderDirectory(db, box, { reads: metrics.credentialReads }),
    intake: createEventIntake({ db, producer, applier, log, storeSeconds: metrics.eventStore, batchSize: metrics.commitBatchSize, fallbacks: metrics.commitFallbacks }),
    applier,
    log,
    metrics,
    // Ingest acknowledges with Redis down (the relay catches up), so only Postgres decides readiness.
    readiness: { postgres: () => pingDb(db) },
  };
}
