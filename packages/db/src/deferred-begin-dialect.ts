import { PostgresDialect, type PostgresDialectConfig, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import pg from 'pg';

/**
 * Marks the statement that opens every transaction (its scope and timeouts). It carries no
 * parameters (its values are validated literals) and its result rows are never read, so it can
 * wait for the transaction's first real statement and travel with it.
 */
export const SCOPE_STATEMENT_MARK = '/* callvault:scope */';

const BEGIN = /^(begin|start transaction)\b/i;
const READ_ONLY = /\bread only\b/i;
const END = /^(commit|rollback)$/i;

/** What pg's Query does with the extended protocol, which its type definitions leave out. */
interface ExtendedQuery {
  requiresPreparation(): boolean;
  prepare(connection: PgConnection): void;
  _results: PostgresQueryResult<unknown> | Array<PostgresQueryResult<unknown>>;
}
interface PgConnection {
  parse(config: { text: string }): void;
  bind(config: Record<string, never>): void;
  describe(config: { type: 'P' }): void;
  execute(config: Record<string, never>): void;
}
const PgQuery = pg.Query as unknown as new (
  text: string,
  values: unknown[],
  callback: (error: Error | null, results: unknown) => void,
) => ExtendedQuery & pg.Submittable;

/**
 * A statement sent behind others in one extended-protocol batch: Parse/Bind/Execute of each
 * prefix, then the statement, then a single Sync. Postgres runs them in order and answers once:
 * one round trip. An error stops the batch where it happened, as separate messages would.
 */
class PrefixedQuery extends PgQuery {
  constructor(
    private readonly prefix: readonly string[],
    text: string,
    values: unknown[],
    callback: (error: Error | null, results: unknown) => void,
  ) {
    super(text, values, callback);
  }

  override requiresPreparation(): boolean {
    return true;
  }

  override prepare(connection: PgConnection): void {
    for (const text of this.prefix) {
      connection.parse({ text });
      connection.bind({});
      connection.describe({ type: 'P' });
      connection.execute({});
    }
    super.prepare(connection);
  }
}

/** Runs `statements` then `text` in one round trip and answers with the result of `text`. */
export function queryAfter<R>(client: pg.ClientBase, statements: readonly string[], text: string, values: readonly unknown[]): Promise<PostgresQueryResult<R>> {
  return new Promise((resolve, reject) => {
    const query = new PrefixedQuery(statements, text, [...values], (error, results) => {
      if (error) reject(error);
      else resolve((Array.isArray(results) ? results.at(-1) : results) as PostgresQueryResult<R>);
    });
    client.query(query);
  });
}

const nothingSent = (command: string): PostgresQueryResult<never> => ({ command: command as PostgresQueryResult<never>['command'], rowCount: 0, rows: [] });

/**
 * A pooled client whose BEGIN and scope statement wait for the transaction's first real
 * statement: the three go out as one batch (one round trip instead of two), so a read of one
 * statement costs two round trips with its COMMIT. A transaction that sent nothing else ends
 * without a word to the server (there is nothing to commit or roll back).
 *
 * A READ ONLY transaction's COMMIT (or ROLLBACK) is not waited for: it has nothing to make
 * durable, and Postgres refuses any write inside it. When no one is waiting for a connection, it
 * is sent on the next turn of the event loop, so that the answer built from the read is written
 * first (a socket write costs tens of microseconds); anything asked of this connection before
 * then waits for it. The connection goes back to the pool only once the transaction has
 * ended (or, if ending it failed, is discarded), so nothing else ever runs inside it.
 */
class DeferredBeginClient implements PostgresPoolClient {
  private held: string[] = [];
  private readOnly = false;
  /**
   * Read-only transactions' COMMITs or ROLLBACKs on their way, in order: release waits for them,
   * or releases the connection with the first one's error.
   */
  private ending: Promise<unknown> | undefined;
  /** Sends the read-only transaction's end still held for the next turn, if any. */
  private sendHeldEnd: (() => void) | undefined;

  constructor(
    private readonly client: pg.PoolClient,
    /** Someone waits for a connection: a held end would keep them waiting a turn longer. */
    private readonly poolContended: () => boolean,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query(cursor: never): never;
  query<R>(sql: string, parameters: ReadonlyArray<unknown> = []): Promise<PostgresQueryResult<R>> {
    // Streams (pg-cursor) are not configured: a cursor would also have to carry the held statements.
    if (typeof sql !== 'string') throw new Error('streaming queries are not supported by this dialect');
    if (this.sendHeldEnd) {
      // Anything asked of this connection waits for the end of the read-only transaction before
      // it, and fails with its error if it could not be ended.
      this.sendHeldEnd();
      return (this.ending ?? Promise.resolve()).then(() => this.query<R>(sql, parameters));
    }
    if (parameters.length === 0 && BEGIN.test(sql) && this.held.length === 0) {
      this.held = [sql];
      this.readOnly = READ_ONLY.test(sql);
      return Promise.resolve(nothingSent('BEGIN'));
    }
    if (parameters.length === 0 && sql.startsWith(SCOPE_STATEMENT_MARK) && this.held.length === 1) {
      this.held.push(sql);
      return Promise.resolve(nothingSent('SELECT'));
    }
    if (this.held.length > 0 && END.test(sql)) {
      this.held = [];
      this.readOnly = false;
      return Promise.resolve(nothingSent(sql.toUpperCase()));
    }
    if (this.readOnly && END.test(sql)) {
      this.readOnly = false;
      this.holdEnd(sql);
      return Promise.resolve(nothingSent(sql.toUpperCase()));
    }
    if (this.held.length > 0) {
      const held = this.held;
      this.held = [];
      return queryAfter<R>(this.client, held, sql, parameters);
    }
    return this.client.query(sql, [...parameters]) as unknown as Promise<PostgresQueryResult<R>>;
  }

  /**
   * Sends `sql`, a read-only transaction's end, on the next turn of the event loop; at once when
   * someone waits for a connection, or when a query is asked of this connection (which then waits
   * for it).
   */
  private holdEnd(sql: string): void {
    let settle: (sent: Promise<unknown>) => void = () => undefined;
    const ended = new Promise<unknown>((resolve) => {
      settle = resolve;
    });
    let sent = false;
    const send = () => {
      if (sent) return;
      sent = true;
      if (this.sendHeldEnd === send) this.sendHeldEnd = undefined;
      try {
        settle(this.client.query(sql));
      } catch (error) {
        settle(Promise.reject(error));
      }
    };
    this.sendHeldEnd = send;
    // A failure is dealt with by the next query and by release(); until then it is not an
    // unhandled rejection.
    ended.catch(() => undefined);
    const before = this.ending;
    this.ending = before ? before.then(() => ended) : ended;
    this.ending.catch(() => undefined);
    if (this.poolContended()) send();
    else setImmediate(send);
  }

  release(): void {
    this.held = [];
    this.readOnly = false;
    const { client, ending } = this;
    this.ending = undefined;
    if (!ending) {
      client.release();
      return;
    }
    // A transaction that could not be ended leaves the connection in an unknown state: the pool
    // discards a client released with an error.
    ending.then(
      () => client.release(),
      (error: Error) => client.release(error),
    );
  }
}

/**
 * Postgres through `pg`, with BEGIN and the scope statement sent together with the transaction's
 * first statement. Kysely keeps one connection object per pooled client; each checkout gets its
 * own wrapper, whose held statements never outlive it.
 */
export class DeferredBeginPostgresDialect extends PostgresDialect {
  constructor(config: Omit<PostgresDialectConfig, 'pool' | 'cursor'> & { pool: pg.Pool }) {
    const pool = config.pool;
    const deferring: PostgresPool = {
      connect: async () => new DeferredBeginClient(await pool.connect(), () => pool.waitingCount > 0),
      end: () => pool.end(),
    };
    super({ ...config, pool: deferring });
  }
}
