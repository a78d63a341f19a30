import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { queryAfter, withReadScope, type Database, type ReadScope, type ReadTx } from '@callvault/db';
import { percentile } from '../lib/report';

export type RepoCall = (tx: ReadTx) => Promise<unknown>;

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
 * no HTTP, authentication or serialization. BEGIN and a parameterless first (scope) statement
 * travel with the next statement in one batch, as the product's driver sends them.
 */
export async function timeRawSql(appUrl: string, statements: CompiledQuery[], iterations: number, warmup: number): Promise<RawTiming> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  const [first, ...rest] = statements;
  const held = first !== undefined && first.parameters.length === 0 ? ['BEGIN', first.sql] : ['BEGIN'];
  const queries = held.length === 2 ? rest : statements;
  const once = async () => {
    const [opening, ...others] = queries;
    if (!opening) return;
    await queryAfter(client, held, opening.sql, opening.parameters);
    for (const statement of others) await client.query(statement.sql, [...statement.parameters]);
    await client.query('COMMIT');
  };
  try {
    const times: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const started = performance.now();
      await once();
      if (i >= warmup) times.push(performance.now() - started);
    }
    return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), roundTrips: Math.max(1, queries.length) + 1 };
  } finally {
    await client.end();
  }
}
