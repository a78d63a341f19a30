import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { queryAfter, withReadScope, type Database, type ReadScope, type ReadTx } from '@callvault/db';

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

/** One route's statements sent straight through `pg`, an iteration at a time. */
export interface RawSql {
  /** Runs the statements once, in their own transaction; answers the milliseconds it took. */
  once(): Promise<number>;
  /** Round trips one iteration costs. */
  roundTrips: number;
  close(): Promise<void>;
}

/**
 * The floor under a gateway row: the same statements with the same parameters and scope settings,
 * sent straight through `pg` as the app role (one connection, a transaction per iteration), with
 * no HTTP, authentication or serialization. BEGIN and a parameterless first (scope) statement
 * travel with the next statement in one batch, as the product's driver sends them. Each iteration
 * waits for its COMMIT, which the gateway does not: iterations run back to back on one connection,
 * so the next would wait for it anyway.
 */
export async function openRawSql(appUrl: string, statements: CompiledQuery[]): Promise<RawSql> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  const [first, ...rest] = statements;
  // Read only, as the gateway reads lists, search and stats (replica-reads.ts).
  const begin = 'START TRANSACTION READ ONLY';
  const held = first !== undefined && first.parameters.length === 0 ? [begin, first.sql] : [begin];
  const queries = held.length === 2 ? rest : statements;
  return {
    async once() {
      const started = performance.now();
      const [opening, ...others] = queries;
      if (opening) {
        await queryAfter(client, held, opening.sql, opening.parameters);
        for (const statement of others) await client.query(statement.sql, [...statement.parameters]);
        await client.query('COMMIT');
      }
      return performance.now() - started;
    },
    roundTrips: Math.max(1, queries.length) + 1,
    close: () => client.end(),
  };
}
