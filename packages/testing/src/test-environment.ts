import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, redisTargetFrom, storageConfigFrom, type Config, type RedisTarget } from '@callvault/config';
import { createSecretBox, generateSecretsKey, type SecretBox } from '@callvault/crypto';
import { createDb, type Database, type Db } from '@callvault/db';
import { createLogger, type Logger } from '@callvault/logging';
import { deleteQueueKeys } from '@callvault/queue';
import { createStorage, type Storage } from '@callvault/storage';
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from './global-setup';
import type { RunningPgBouncer } from './pgbouncer';
import { cloneTestDatabase } from './test-database';

export interface TestEnvironment {
  config: Config;
  /** The Redis the config names (the machine's, unless the overrides name a cluster or Sentinels). */
  redis: RedisTarget;
  /** The services' role: bound by row-level security. */
  db: Db;
  /** The schema owner: for fixtures and assertions that must see everything. */
  ownerDb: Kysely<Database>;
  storage: Storage;
  box: SecretBox;
  log: Logger;
  close(): Promise<void>;
}

/** A test's queue prefix, checked before its keys are deleted: never a deployment's. */
function testPrefix(prefix: string): string {
  if (!prefix.startsWith('test-')) throw new Error(`refusing to delete the keys of queue prefix ${prefix}: not a test's`);
  return prefix;
}

/**
 * A private world per test file: its own database cloned from the migrated template, its own
 * bucket and queue prefix, fresh keys. Real Postgres, Redis and S3 protocol throughout.
 */
export async function createTestEnvironment(
  overrides: Record<string, string> = {},
  options: {
    /** The services' role reaches Postgres through this PgBouncer (the owner connects directly). */
    pgBouncer?: RunningPgBouncer;
  } = {},
): Promise<TestEnvironment> {
  const database = await cloneTestDatabase(TEST_POSTGRES_URL, inject('templateDatabase'));
  const suffix = randomBytes(5).toString('hex');
  const loaded = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: database.ownerUrl,
      // A cluster or a Sentinel group in the overrides replaces the machine's Redis.
      ...(overrides.REDIS_CLUSTER_NODES || overrides.REDIS_SENTINELS ? {} : { REDIS_URL: TEST_REDIS_URL }),
      QUEUE_PREFIX: `test-${suffix}`,
      S3_ENDPOINT: inject('s3Endpoint'),
      S3_BUCKET: `test-${suffix}`,
      SECRETS_KEY: generateSecretsKey(),
      TAG_SIGNING_KEY: randomBytes(32).toString('base64url'),
      AUTH_JWT_SECRET: randomBytes(32).toString('base64url'),
      PUBLIC_BASE_URL: 'http://127.0.0.1:3001',
      ...overrides,
    },
    ['SECRETS_KEY', 'TAG_SIGNING_KEY', 'AUTH_JWT_SECRET'],
  );
  const config: Config = options.pgBouncer ? Object.freeze({ ...loaded, DATABASE_APP_URL: options.pgBouncer.through(loaded.DATABASE_APP_URL) }) : loaded;
  const db = createDb(config.DATABASE_APP_URL, { poolSize: 5 });
  const ownerPool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 3 });
  // Dropping the database (WITH FORCE) at close terminates backends whose clients may still be
  // closing; their "terminating connection" notice must not surface as an unhandled error.
  ownerPool.on('error', () => undefined);
  ownerPool.on('connect', (client) => client.on('error', () => undefined));
  const ownerDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  const storage = createStorage(storageConfigFrom(config));
  await storage.ensureBucket();
  return {
    config,
    redis: redisTargetFrom(config),
    db,
    ownerDb,
    storage,
    box: createSecretBox(config.SECRETS_KEY!),
    log: createLogger({ name: 'test', level: config.LOG_LEVEL }),
    async close() {
      await db.destroy();
      await ownerDb.destroy();
      await database.drop();
      // The queue prefix's keys go with the database, on the machine's Redis, which outlives the
      // run. A private Redis, cluster or Sentinel group in the overrides is the test's own, often
      // stopped before this, and its keys go with it.
      if (config.REDIS_URL === TEST_REDIS_URL && !config.REDIS_CLUSTER_NODES && !config.REDIS_SENTINELS) {
        await deleteQueueKeys(redisTargetFrom(config), testPrefix(config.QUEUE_PREFIX));
      }
    },
  };
}
