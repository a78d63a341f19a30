import type { Config } from '@callvault/config';
import type { Db } from '@callvault/db';
import type { ProviderDirectory, ResolutionDeps } from '@callvault/events';
import type { Logger } from '@callvault/logging';
import type { DrainLoop } from '@callvault/service-kit';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventIntake } from './event-intake';

export interface IngestMetrics {
  registry: Registry;
  webhooks: Counter<'provider' | 'type' | 'outcome'>;
  tagsRejected: Counter<'provider'>;
  eventStore: Histogram<'provider' | 'outcome'>;
  commitBatchSize: Histogram;
  commitFallbacks: Counter;
  effectsBatchSize: Histogram;
  effectsApplied: Counter;
  effectsFailures: Counter;
  effectsLag: Gauge;
  jobsRelayed: Counter;
  credentialReads: Counter<'provider'>;
}

export interface IngestDeps {
  config: Config & { TAG_SIGNING_KEY: string };
  db: Db;
  directory: ProviderDirectory;
  resolution: ResolutionDeps;
  intake: EventIntake;
  /** Applies stored events' effects (one path: webhooks, replays and recovery alike). */
  effects: DrainLoop;
  /** Puts the jobs the effects imply into Redis. */
  relay: DrainLoop;
  log: Logger;
  metrics: IngestMetrics;
  readiness: Record<string, () => Promise<void>>;
}
