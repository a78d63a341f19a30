import type { Config } from '@callvault/config';
import type { SecretBox } from '@callvault/crypto';
import type { Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Producer } from '@callvault/queue';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EffectsApplier } from './effects-applier';
import type { EventIntake } from './event-intake';
import type { ProviderDirectory } from './provider-directory';

export interface IngestMetrics {
  registry: Registry;
  webhooks: Counter<'provider' | 'type' | 'outcome'>;
  tagsRejected: Counter<'provider'>;
  eventStore: Histogram<'provider' | 'outcome'>;
  commitBatchSize: Histogram;
  commitFallbacks: Counter;
  effectsBatchSize: Histogram;
  effectsFallbacks: Counter;
  effectsFailures: Counter;
  effectsDeclined: Counter;
  effectsBacklog: Gauge;
  fetchRedrives: Counter;
  credentialReads: Counter<'provider'>;
}

export interface IngestDeps {
  config: Config & { TAG_SIGNING_KEY: string };
  db: Db;
  producer: Producer;
  box: SecretBox;
  directory: ProviderDirectory;
  intake: EventIntake;
  /** Applies accepted events' effects after their acknowledgement (the intake hands them over). */
  applier: EffectsApplier;
  log: Logger;
  metrics: IngestMetrics;
  readiness: Record<string, () => Promise<void>>;
}
