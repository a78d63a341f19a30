import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { loadConfig, type Config } from '@callvault/config';
import { createSecretBox, type SecretBox } from '@callvault/crypto';
import { createDb, type Db } from '@callvault/db';
import { createProducer, createRedis, type Producer } from '@callvault/queue';
import type { Redis } from 'ioredis';

export interface CliContext {
  config: Config;
  /** The services' role: data commands go through RLS like the services do. */
  db: Db;
  box: () => SecretBox;
  /** The schema owner, for migrations only. */
  ownerDb: () => Kysely<unknown>;
  /** Opened on first use: most commands never touch Redis. */
  producer: () => Producer;
  close(): Promise<void>;
}

export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const config = loadConfig(env);
  const db = createDb(config.DATABASE_APP_URL, { poolSize: 2, applicationName: 'callvault-cli' });
  let owner: Kysely<unknown> | undefined;
  let queue: { redis: Redis; producer: Producer } | undefined;
  return {
    config,
    db,
    box: () => {
      if (!config.SECRETS_KEY) throw new Error('SECRETS_KEY is required for this command');
      return createSecretBox(config.SECRETS_KEY);
    },
    ownerDb: () => (owner ??= new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: config.DATABASE_URL, max: 1 }) }) })),
    producer: () => {
      if (!queue) {
        const redis = createRedis(config.REDIS_URL, 'producer');
        queue = { redis, producer: createProducer(redis, config.QUEUE_PREFIX) };
      }
      return queue.producer;
    },
    async close() {
      await db.destroy();
      await owner?.destroy();
      if (queue) {
        await queue.producer.close();
        queue.redis.disconnect();
      }
    },
  };
}
