import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { withReadScope, type Database, type ReadScope, type ScopedTx } from '@callvault/db';
import { percentile } from '../lib/report';

export type RepoCall = (tx: ScopedTx) => Promise<unknown>;

/** The statements a repository call sends in its scope (the scope statement first), captured from Kysely. */
export async function captureStatements(appUrl: string, scope: ReadScope, work: RepoCall): Promise<CompiledQuery[]> {
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: appUrl, max: 1 }) }),
    log: (event) => {
      if (event.level === 'query' && !/^\s*(begin|commit|rollback)\b/i.test(event.query.sql)) captured.push(event.query);
    },
  });
  try {
    await withReadScope(db, scope, work);
    return captured;
  } finally {
    await db.destroy();
  }
}

export interface RawTiming {
  p50: number;
  p99: number;
  roundTrips: number;
}

/**
 * The floor under a gateway row: the same statements with the same parameters and scope settings,
 * sent straight through `pg` as the app role (one connection, a transaction per iteration), with
 * no HTTP, authentication or serialization. A parameterless first statement travels with BEGIN,
 * as the product's driver sends it.
 */
export async function timeRawSql(appUrl: string, statements: CompiledQuery[], iterations: number, warmup: number): Promise<RawTiming> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  const [first, ...rest] = statements;
  const mergeFirst = first !== undefined && first.parameters.length === 0;
  const once = async () => {
    if (mergeFirst) await client.query(`BEGIN; ${first.sql}`);
    else await client.query('BEGIN');
    for (const statement of mergeFirst ? rest : statements) await client.query(statement.sql, [...statement.parameters]);
    await client.query('COMMIT');
  };
  try {
    const times: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const started = performance.now();
      await once();
      if (i >= warmup) times.push(performance.now() - started);
    }
    const roundTrips = (mergeFirst ? 1 + rest.length : 1 + statements.length) + 1;
    return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), roundTrips };
  } finally {
    await client.end();
  }
}
