import { CompiledQuery, PostgresDialect, type DatabaseConnection, type Driver, type QueryCompiler, type QueryResult, type TransactionSettings } from 'kysely';

/**
 * Marks the statement that opens every transaction (its scope and timeouts). It carries no
 * parameters (its values are validated literals), so it can travel in the same simple-protocol
 * message as BEGIN: one round trip instead of two. Its result rows are never read.
 */
export const SCOPE_STATEMENT_MARK = '/* callvault:scope */';

/**
 * A connection whose BEGIN waits for the transaction's first statement. The scope statement goes
 * out with it in one message (Postgres runs a multi-statement message in order, BEGIN first);
 * any other first statement gets its own BEGIN before it, exactly as without this class.
 */
class DeferredBeginConnection implements DatabaseConnection {
  private pendingBegin: string | null = null;

  constructor(readonly inner: DatabaseConnection) {}

  deferBegin(statement: string): void {
    this.pendingBegin = statement;
  }

  /** The BEGIN not sent yet, if any (then the transaction sent nothing: its commit or rollback has nothing to end). */
  takePendingBegin(): string | null {
    const pending = this.pendingBegin;
    this.pendingBegin = null;
    return pending;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const begin = this.pendingBegin;
    if (begin === null) return this.inner.executeQuery<R>(query);
    this.pendingBegin = null;
    if (query.parameters.length === 0 && query.sql.startsWith(SCOPE_STATEMENT_MARK)) {
      return this.inner.executeQuery<R>(CompiledQuery.raw(`${begin}; ${query.sql}`));
    }
    await this.inner.executeQuery(CompiledQuery.raw(begin));
    return this.inner.executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    const begin = this.pendingBegin;
    if (begin !== null) {
      this.pendingBegin = null;
      await this.inner.executeQuery(CompiledQuery.raw(begin));
    }
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }
}

function beginStatement(settings: TransactionSettings): string {
  let statement = 'begin';
  if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
  if (settings.accessMode) statement += ` ${settings.accessMode}`;
  return statement;
}

class DeferredBeginDriver implements Driver {
  private readonly wrappers = new WeakMap<DatabaseConnection, DeferredBeginConnection>();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let wrapper = this.wrappers.get(connection);
    if (!wrapper) {
      wrapper = new DeferredBeginConnection(connection);
      this.wrappers.set(connection, wrapper);
    }
    return wrapper;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    (connection as DeferredBeginConnection).deferBegin(beginStatement(settings));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const wrapper = connection as DeferredBeginConnection;
    if (wrapper.takePendingBegin() === null) await this.inner.commitTransaction(wrapper.inner);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const wrapper = connection as DeferredBeginConnection;
    if (wrapper.takePendingBegin() === null) await this.inner.rollbackTransaction(wrapper.inner);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.flush(connection);
    await this.inner.savepoint?.((connection as DeferredBeginConnection).inner, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.rollbackToSavepoint?.((connection as DeferredBeginConnection).inner, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.releaseSavepoint?.((connection as DeferredBeginConnection).inner, name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const wrapper = connection as DeferredBeginConnection;
    wrapper.takePendingBegin();
    await this.inner.releaseConnection(wrapper.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  private async flush(connection: DatabaseConnection): Promise<void> {
    const wrapper = connection as DeferredBeginConnection;
    // A savepoint needs the transaction to exist already.
    const begin = wrapper.takePendingBegin();
    if (begin !== null) await wrapper.inner.executeQuery(CompiledQuery.raw(begin));
  }
}

/** Postgres through `pg`, with BEGIN sent together with the transaction's scope statement. */
export class DeferredBeginPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new DeferredBeginDriver(super.createDriver());
  }
}
