import type { TokenVerifier } from '@callvault/auth';
import type { Config } from '@callvault/config';
import type { Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { createRedis, Producer } from '@callvault/queue';
import type { Storage } from '@callvault/storage';
import type { Registry } from 'prom-client';
import type { CursorCodec } from './cursor';
import type { ReplicaReads } from './replica-reads';

export interface GatewayDeps {
  config: Config;
  db: Db;
  /** Lists, search and stats on a streaming replica, when DATABASE_READ_URL is set. */
  replicaReads?: ReplicaReads | undefined;
  storage: Storage;
  /** The queues, for Bull Board and queue metrics; jobs themselves go through the outbox. */
  producer: Producer;
  /** Where the /v1 rate-limit counters live, shared by every gateway replica. */
  rateLimitRedis: ReturnType<typeof createRedis>;
  /** Wakes the gateway's outbox relay: call it after a commit that recorded jobs. */
  jobsCommitted: () => void;
  verifyToken: TokenVerifier;
  cursors: CursorCodec;
  log: Logger;
  registry: Registry;
  readiness: Record<string, () => Promise<void>>;
  closeConnections(): Promise<void>;
  /** The dashboard's build directory served at /app; default: services/dashboard/dist of this checkout. */
  dashboardDir?: string | undefined;
}
