import type { Config } from '@callvault/config';
import type { SecretBox } from '@callvault/crypto';
import type { Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { Storage } from '@callvault/storage';
import type { Counter, Histogram } from 'prom-client';

export interface FetcherDeps {
  config: Config;
  db: Db;
  storage: Storage;
  box: SecretBox;
  /** Wakes the outbox relay after a commit that recorded follow-up jobs. */
  jobsCommitted: () => void;
  log: Logger;
  metrics: {
    bytes: Counter<'provider'>;
    duration: Histogram<'provider' | 'outcome'>;
  };
}
