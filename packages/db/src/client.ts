import {
  Kysely,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type Transaction,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
import { DeferredBeginPostgresDialect, SCOPE_STATEMENT_MARK } from './deferred-begin-dialect';
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
  });
  // A client losing its server (Postgres restart) must not crash the process: idle clients report
  // on the pool, checked-out ones on themselves; the failed query still rejects to its caller.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<Database>({ dialect: new DeferredBeginPostgresDialect({ pool }) });
}

/** A transaction bound to one company: RLS shows only its rows, and repositories filter by `companyId` too. */
export type CompanyTx = Transaction<Database> & { readonly scope: { readonly kind: 'company'; readonly companyId: string } };

/** A transaction that may see every company: tenant lookup at ingest, superadmin reads, platform jobs. */
export type PlatformTx = Transaction<Database> & { readonly scope: { readonly kind: 'platform' } };

/**
 * Settings that travel with every transaction (`set_config(…, true)`, i.e. SET LOCAL), not as
 * connection startup parameters: PgBouncer in transaction mode refuses those, and hands each
 * transaction a server connection whose session settings are not ours.
 * - Timeouts: a transaction must never hang a webhook reply past the providers' timeouts.
 * - No parallel query: our statements are short and many at once, so a request's time should not
 *   depend on free parallel workers; and with the policies' settings read once per statement
 *   (migration 0021) the planner picked a parallel nested loop for a company admin's search of a
 *   rare word that took 73–78 ms against 24.5 ms without (1M recordings, EXPLAIN ANALYZE).
 */
const TRANSACTION_SETTINGS = [
  ['statement_timeout', '15000'],
  ['idle_in_transaction_session_timeout', '30000'],
  ['max_parallel_workers_per_gather', '0'],
] as const;

/**
 * The first statement of every transaction: timeouts and scope in one SELECT, with literal values
 * (checked UUIDs and fixed words only), so the driver sends it in the same round trip as BEGIN.
 */
function scopeStatement(settings: ReadonlyArray<readonly [string, string]>) {
  const calls = [...TRANSACTION_SETTINGS, ...settings].map(([name, value]) => {
    if (!/^[a-z_.]+$/.test(name) || !/^[0-9a-f-]*$|^on$|^off$/.test(value)) throw new Error(`scope setting ${name} has an unexpected value`);
    return `set_config('${name}', '${value}', true)`;
  });
  return sql.raw(`${SCOPE_STATEMENT_MARK} SELECT ${calls.join(', ')}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Refuses every query of a transaction object outside the window it is valid in: after its
 * transaction ended, or (a platform one) while one of its companies is being worked on. A kept
 * reference therefore never runs with a scope other than the one its type says.
 */
class ScopeGuard implements KyselyPlugin {
  constructor(
    private readonly state: { open: boolean },
    private readonly what: string,
  ) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (!this.state.open) throw new Error(`${this.what} used outside its scope`);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const BASE = Symbol('callvault base transaction');
const GUARD = Symbol('callvault scope guard');
type Guarded = { [BASE]: Transaction<Database>; [GUARD]: { open: boolean } };

function scoped<S>(trx: Transaction<Database>, scope: S, what: string): Transaction<Database> & { readonly scope: S } & Guarded {
  const guard = { open: true };
  return Object.assign(trx.withPlugin(new ScopeGuard(guard, what)), { scope, [BASE]: trx, [GUARD]: guard });
}

function assertCompanyId(companyId: string, where: string): void {
  // An empty or malformed company id would silently widen nothing but hide bugs: refuse it loudly.
  if (!UUID.test(companyId)) throw new Error(`${where}: companyId must be a UUID`);
}

/** `readOnly`: Postgres refuses writes in it, and the answer need not wait for its COMMIT (deferred-begin-dialect.ts). */
export interface TxOptions {
  readOnly?: true;
}

const transactionOf = (db: Db, options: TxOptions) => (options.readOnly ? db.transaction().setAccessMode('read only') : db.transaction());

export async function withCompany<T>(db: Db, companyId: string, work: (tx: CompanyTx) => Promise<T>, options: TxOptions = {}): Promise<T> {
  assertCompanyId(companyId, 'withCompany');
  return transactionOf(db, options).execute(async (trx) => {
    await scopeStatement([['callvault.company_id', companyId]]).execute(trx);
    const tx = scoped(trx, { kind: 'company' as const, companyId }, 'a company transaction');
    try {
      return await work(tx);
    } finally {
      tx[GUARD].open = false;
    }
  });
}

export interface PlatformTxOptions extends TxOptions {
  /**
   * false: the commit does not wait for the WAL flush. Only for writes whose loss in a crash is
   * harmless because they are redone anyway.
   */
  synchronousCommit?: false;
}

export async function withPlatform<T>(db: Db, work: (tx: PlatformTx) => Promise<T>, options: PlatformTxOptions = {}): Promise<T> {
  return transactionOf(db, options).execute(async (trx) => {
    await scopeStatement([['callvault.platform', 'on'], ...(options.synchronousCommit === false ? [['synchronous_commit', 'off'] as const] : [])]).execute(trx);
    const tx = scoped(trx, { kind: 'platform' as const }, 'a platform transaction');
    try {
      return await work(tx);
    } finally {
      tx[GUARD].open = false;
    }
  });
}

/**
 * One company's work inside a platform transaction (ingest applies a batch of events of several
 * companies in one commit): RLS is bound to the company while `work` runs, and the platform scope
 * comes back afterwards. `work` gets a transaction object of its own, valid only inside the
 * callback; the platform one refuses queries meanwhile.
 */
export async function inCompany<T>(tx: PlatformTx, companyId: string, work: (tx: CompanyTx) => Promise<T>): Promise<T> {
  assertCompanyId(companyId, 'inCompany');
  const { [BASE]: base, [GUARD]: platformGuard } = tx as PlatformTx & Guarded;
  if (!base || !platformGuard?.open) throw new Error('inCompany needs an open platform transaction from withPlatform');
  await sql`SELECT set_config('callvault.platform', '', true), set_config('callvault.company_id', ${companyId}, true)`.execute(base);
  platformGuard.open = false;
  const companyTx = scoped(base, { kind: 'company' as const, companyId }, 'a company transaction');
  let result: T;
  try {
    result = await work(companyTx);
  } finally {
    companyTx[GUARD].open = false;
  }
  // After a failure the transaction rolls back: the platform scope stays closed with it.
  await sql`SELECT set_config('callvault.company_id', '', true), set_config('callvault.platform', 'on', true)`.execute(base);
  platformGuard.open = true;
  return result;
}

export async function pingDb(db: Db): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
