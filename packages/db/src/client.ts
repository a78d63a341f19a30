import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

// Return bigint (sizes) as strings and numeric (cost) as numbers: both fit our ranges.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export type Db = Kysely<Database>;

export function createDb(connectionString: string, options: { poolSize?: number; applicationName?: string } = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'callvault',
    connectionTimeoutMillis: 5_000,
    // A transaction must never hang a webhook reply past the providers' timeouts.
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
  });
  // A client losing its server (Postgres restart) must not crash the process: idle clients report
  // on the pool, checked-out ones on themselves; the failed query still rejects to its caller.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** A transaction bound to one company: RLS shows only its rows, and repositories filter by `companyId` too. */
export type CompanyTx = Transaction<Database> & { readonly scope: { readonly kind: 'company'; readonly companyId: string } };

/** A transaction that may see every company: tenant lookup at ingest, superadmin reads, platform jobs. */
export type PlatformTx = Transaction<Database> & { readonly scope: { readonly kind: 'platform' } };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function withCompany<T>(db: Db, companyId: string, work: (tx: CompanyTx) => Promise<T>): Promise<T> {
  // An empty or malformed company id would silently widen nothing but hide bugs: refuse it loudly.
  if (!UUID.test(companyId)) throw new Error('withCompany: companyId must be a UUID');
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('callvault.company_id', ${companyId}, true)`.execute(trx);
    return work(Object.assign(trx, { scope: { kind: 'company' as const, companyId } }));
  });
}

export interface PlatformTxOptions {
  /**
   * false: the commit does not wait for the WAL flush. Only for writes whose loss in a crash is
   * harmless because they are redone anyway (e.g. "enqueued" marks: the relay re-enqueues).
   */
  synchronousCommit?: false;
}

export async function withPlatform<T>(db: Db, work: (tx: PlatformTx) => Promise<T>, options: PlatformTxOptions = {}): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (options.synchronousCommit === false) await sql`SELECT set_config('callvault.platform', 'on', true), set_config('synchronous_commit', 'off', true)`.execute(trx);
    else await sql`SELECT set_config('callvault.platform', 'on', true)`.execute(trx);
    return work(Object.assign(trx, { scope: { kind: 'platform' as const } }));
  });
}

export async function pingDb(db: Db): Promise<void> {
  await sql`SELECT 1`.execute(db);
}

/**
 * Turns an ingest transaction into a company transaction once the tenant is known, so the
 * event row and its effects commit together while the effects are still bound by RLS.
 */
export async function narrowToCompany(tx: PlatformTx, companyId: string): Promise<CompanyTx> {
  if (!UUID.test(companyId)) throw new Error('narrowToCompany: companyId must be a UUID');
  await sql`SELECT set_config('callvault.platform', '', true), set_config('callvault.company_id', ${companyId}, true)`.execute(tx);
  // Same transaction object (Kysely keeps private state on it): the caller must not use it as platform any more.
  return Object.assign(tx, { scope: { kind: 'company' as const, companyId } }) as unknown as CompanyTx;
}

/** The way back from `narrowToCompany`: the same transaction sees every company again. */
export async function widenToPlatform(tx: CompanyTx | PlatformTx): Promise<PlatformTx> {
  await sql`SELECT set_config('callvault.company_id', '', true), set_config('callvault.platform', 'on', true)`.execute(tx);
  return Object.assign(tx, { scope: { kind: 'platform' as const } }) as unknown as PlatformTx;
}
