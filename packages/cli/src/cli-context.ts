import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { parseServiceConfig, type Config } from '@callvault/config';
import { createSecretBox, type SecretBox } from '@callvault/crypto';
import { createDb, type Db } from '@callvault/db';

export interface CliContext {
  config: Config;
  /** The services' role: data commands go through RLS like the services do. */
  db: Db;
  box: () => SecretBox;
  /** The schema owner, for migrations only. */
  ownerDb: () => Kysely<unknown>;
  close(): Promise<void>;
}

export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const config = parseServiceConfig('cli', env);
  const db = createDb(config.DATABASE_APP_URL, { poolSize: 2, applicationName: 'callvault-cli' });
  let owner: Kysely<unknown> | undefined;
  return {
    config,
    db,
    box: () => {
      if (!config.SECRETS_KEY) throw new Error('SECRETS_KEY is required for this command');
      return createSecretBox(config.SECRETS_KEY);
    },
    ownerDb: () => (owner ??= new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: config.DATABASE_URL, max: 1 }) }) })),
    async close() {
      await db.destroy();
      await owner?.destroy();
    },
  };
}
