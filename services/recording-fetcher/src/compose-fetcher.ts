import type { Config } from '@callvault/config';
import { createSecretBox } from '@callvault/crypto';
import type { Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Storage } from '@callvault/storage';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { FetcherDeps } from './fetcher-deps';

/** `jobsCommitted` wakes the process's outbox relay; without one, another process's relay picks the jobs up on its poll. */
export function composeFetcher(input: { config: Config; db: Db; storage: Storage; log: Logger; registry: Registry; jobsCommitted?: () => void }): FetcherDeps {
  if (!input.config.SECRETS_KEY) throw new Error('recording-fetcher needs SECRETS_KEY');
  return {
    config: input.config,
    db: input.db,
    storage: input.storage,
    jobsCommitted: input.jobsCommitted ?? (() => undefined),
    box: createSecretBox(input.config.SECRETS_KEY),
    log: input.log,
    metrics: {
      bytes: new Counter({
        name: 'callvault_fetch_bytes_total',
        help: 'Recording bytes archived into storage.',
        labelNames: ['provider'],
        registers: [input.registry],
      }),
      duration: new Histogram({
        name: 'callvault_fetch_duration_seconds',
        help: 'Time to archive one recording (download + upload), by outcome.',
        labelNames: ['provider', 'outcome'],
        buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300],
        registers: [input.registry],
      }),
    },
  };
}
