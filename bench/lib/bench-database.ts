import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest, type Database } from '@callvault/db';

export const MACHINE_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  /** The schema owner (superuser here): seeding, verification. Services get this as DATABASE_URL. */
  ownerUrl: string;
  owner: Kysely<Database>;
  drop(): Promise<void>;
  /** Closes the owner's pool and leaves the database in place. */
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A database of our own, created from scratch and migrated as the owner: a benchmark or drill
 * never reads or writes a developer's `callvault` database. Dropped (with FORCE) at the end.
 */
export async function createBenchDatabase(serverUrl = MACHINE_POSTGRES_URL, prefix = 'callvault_bench'): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return openBenchDatabase(name, serverUrl);
}

/**
 * A bench database kept by an earlier run (`--keep`), migrated to the latest schema: seeding a
 * million rows takes minutes, and a before/after comparison is fairest on the very same rows.
 */
export async function openBenchDatabase(name: string, serverUrl = MACHINE_POSTGRES_URL): Promise<BenchDatabase> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a bench database name: ${name}`);
  const ownerUrl = withDatabase(serverUrl, name);
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 4 });
  // A drill restarts this server: an idle connection dropping then must not end the process.
  pool.on('error', () => undefined);
  const owner = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(owner as unknown as Kysely<unknown>);
  let dropped = false;
  return {
    name,
    ownerUrl,
    owner,
    async close() {
      await owner.destroy().catch(() => undefined);
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await owner.destroy().catch(() => undefined);
      const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
