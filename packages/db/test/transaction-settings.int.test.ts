import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCompany, createDb, withCompany, withPlatform, type Db } from '@callvault/db';
import { createTestEnvironment, startPgRoundTripCounter, type PgRoundTripCounter, type TestEnvironment } from '@callvault/testing';

let env: TestEnvironment;
let counter: PgRoundTripCounter;
let db: Db;
let companyId: string;

const settingsNow = (executor: Parameters<ReturnType<typeof sql>['execute']>[0]) =>
  sql<{ statement: string; idle: string; parallel: string; company: string | null }>`
    SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle,
           current_setting('max_parallel_workers_per_gather') AS parallel, current_setting('callvault.company_id', true) AS company`.execute(executor);

/** A statement on the pool's one connection: the company set there, and whether a transaction is still open (it began before this statement). */
const outsideAnyTransaction = async () =>
  (
    await sql<{ company: string | null; open: boolean }>`
      SELECT current_setting('callvault.company_id', true) AS company, now() <> statement_timestamp() AS open`.execute(db)
  ).rows[0];

beforeAll(async () => {
  env = await createTestEnvironment();
  companyId = (await withPlatform(env.db, (tx) => createCompany(tx, { name: 'Settings Co' }))).id;
  const url = new URL(env.config.DATABASE_APP_URL);
  counter = await startPgRoundTripCounter(Number(url.port || 5432));
  url.hostname = '127.0.0.1';
  url.port = String(counter.port);
  // One connection: what a transaction leaves behind would be seen by the next one.
  db = createDb(url.toString(), { poolSize: 1 });
});

afterAll(async () => {
  await db?.destroy();
  await counter?.close();
  await env?.close();
});

describe('transaction settings (PgBouncer transaction mode: nothing is set per session)', () => {
  it('sets the timeouts, no parallel query and the company for the transaction only', async () => {
    const inside = await withCompany(db, companyId, async (tx) => (await settingsNow(tx)).rows[0]);
    expect(inside).toEqual({ statement: '15s', idle: '30s', parallel: '0', company: companyId });
    const after = (await settingsNow(db)).rows[0];
    expect(after?.statement).toBe('0');
    expect(after?.idle).toBe('0');
    expect(after?.parallel).not.toBe('0');
    expect(after?.company ?? '').toBe('');
  });

  it('sends BEGIN and the scope statement with the first statement: a one-statement transaction is two round trips', async () => {
    await withCompany(db, companyId, async (tx) => sql`SELECT 1`.execute(tx));
    counter.reset();
    const read = await withCompany(db, companyId, async (tx) => sql<{ n: number }>`SELECT ${41}::int + 1 AS n`.execute(tx));
    expect(read.rows).toEqual([{ n: 42 }]);
    expect(counter.counts().roundTrips).toBe(2);
    counter.reset();
    await withPlatform(db, async (tx) => sql`SELECT ${1}::int`.execute(tx));
    expect(counter.counts().roundTrips).toBe(2);
    counter.reset();
    await withCompany(db, companyId, async (tx) => {
      await sql`SELECT ${1}::int`.execute(tx);
      await sql`SELECT ${2}::int`.execute(tx);
    });
    expect(counter.counts().roundTrips).toBe(3);
  });

  it('refuses writes in a read-only transaction', async () => {
    const write = withCompany(db, companyId, async (tx) => sql`UPDATE companies SET name = 'renamed' WHERE id = ${companyId}`.execute(tx), { readOnly: true });
    await expect(write).rejects.toThrow(/read-only transaction/);
    const name = await withCompany(db, companyId, async (tx) => (await sql<{ name: string }>`SELECT name FROM companies`.execute(tx)).rows[0]?.name);
    expect(name).toBe('Settings Co');
  });

  it("answers a read-only transaction without waiting for its COMMIT, which still ends it before the connection's next work", async () => {
    const REPLY_DELAY = 250;
    const timed = async (readOnly: boolean) => {
      const started = performance.now();
      const read = withCompany(db, companyId, async (tx) => (await settingsNow(tx)).rows[0], readOnly ? { readOnly: true } : {});
      const inside = await read;
      return { inside, ms: performance.now() - started };
    };
    counter.reset();
    counter.delayReplies(REPLY_DELAY);
    try {
      const readWrite = await timed(false);
      const readOnly = await timed(true);
      // Read-write: the batch, then the COMMIT (two delayed answers). Read-only: the batch only.
      expect(readWrite.ms).toBeGreaterThanOrEqual(2 * REPLY_DELAY);
      expect(readOnly.ms).toBeLessThan(1.5 * REPLY_DELAY);
      expect(readOnly.inside).toEqual({ statement: '15s', idle: '30s', parallel: '0', company: companyId });
      // The one connection's next statement waits behind the COMMIT, and runs outside any transaction.
      const after = await outsideAnyTransaction();
      expect(after?.open).toBe(false);
      expect(after?.company ?? '').toBe('');
      expect(counter.counts().roundTrips).toBe(5);
    } finally {
      counter.delayReplies(0);
    }
  });

  it('sends a read-only COMMIT only after what the caller does with the answer in the same turn (its reply is written first)', async () => {
    const queries = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const commitsSent = () => queries.mock.calls.filter(([query]) => typeof query === 'string' && /^commit$/i.test(query)).length;
      const inside = await withCompany(db, companyId, async (tx) => (await settingsNow(tx)).rows[0]?.company, { readOnly: true });
      const commitsWhenAnswered = commitsSent();
      await new Promise((turn) => setImmediate(turn));
      expect(inside).toBe(companyId);
      expect(commitsWhenAnswered).toBe(0);
      expect(commitsSent()).toBe(1);
      const after = await outsideAnyTransaction();
      expect(after?.open).toBe(false);
      // With another transaction waiting for the pool's one connection, it is sent at once.
      const [first, second] = [0, 1].map(() => withCompany(db, companyId, async (tx) => (await settingsNow(tx)).rows[0]?.company, { readOnly: true }));
      const commitsBefore = commitsSent();
      expect(await first).toBe(companyId);
      expect(commitsSent() - commitsBefore).toBe(1);
      expect(await second).toBe(companyId);
    } finally {
      queries.mockRestore();
    }
  });

  it('ends a read-only transaction before the next one asked of the same connection in the same turn begins', async () => {
    const other = (await withPlatform(env.db, (tx) => createCompany(tx, { name: 'Next Co' }))).id;
    const inNext = await db.connection().execute(async (connection) => {
      await withPlatform(connection, async (tx) => settingsNow(tx), { readOnly: true });
      return withCompany(connection, other, async (tx) => {
        const { rows } = await sql<{ platform: string | null; company: string | null; readOnly: string }>`
          SELECT current_setting('callvault.platform', true) AS platform, current_setting('callvault.company_id', true) AS company,
                 current_setting('transaction_read_only') AS "readOnly"`.execute(tx);
        return rows[0];
      });
    });
    expect(inNext).toEqual({ platform: '', company: other, readOnly: 'off' });
    const after = await outsideAnyTransaction();
    expect(after?.open).toBe(false);
  });

  it('never lets the next transaction on a connection run inside a read-only one that failed, threw or sent nothing', async () => {
    const other = (await withPlatform(env.db, (tx) => createCompany(tx, { name: 'Neighbour Co' }))).id;
    const readOnly = { readOnly: true } as const;
    // Answers held a little, so that each COMMIT or ROLLBACK is still on its way when the next work starts.
    counter.delayReplies(20);
    try {
      const steps: Array<() => Promise<unknown>> = [
        () => withCompany(db, companyId, async (tx) => settingsNow(tx), readOnly),
        () => withCompany(db, other, async (tx) => sql`SELECT 1 / ${0}::int`.execute(tx), readOnly),
        () =>
          withCompany(
            db,
            other,
            async (tx) => {
              await settingsNow(tx);
              throw new Error('thrown after a read');
            },
            readOnly,
          ),
        () => withCompany(db, other, async () => 'sent nothing', readOnly),
        () => withCompany(db, other, async (tx) => sql`UPDATE companies SET name = 'renamed' WHERE id = ${other}`.execute(tx), readOnly),
      ];
      for (const step of steps) {
        await step().catch(() => undefined);
        const company = await withCompany(db, companyId, async (tx) => (await settingsNow(tx)).rows[0]?.company);
        expect(company).toBe(companyId);
        const after = await outsideAnyTransaction();
        expect(after?.open).toBe(false);
        expect(after?.company ?? '').toBe('');
      }
      const names = await withPlatform(db, async (tx) => (await sql<{ name: string }>`SELECT name FROM companies WHERE id = ${other}`.execute(tx)).rows);
      expect(names).toEqual([{ name: 'Neighbour Co' }]);
    } finally {
      counter.delayReplies(0);
    }
  });

  it('discards a connection whose read-only transaction could not be ended, instead of handing it out again', async () => {
    counter.delayReplies(200);
    let backend = 0;
    try {
      backend = await withCompany(db, companyId, async (tx) => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx)).rows[0]!.pid, {
        readOnly: true,
      });
      // Its COMMIT is on its way (held by the proxy): the backend goes before it answers.
      await sql`SELECT pg_terminate_backend(${backend})`.execute(env.db);
    } finally {
      counter.delayReplies(0);
    }
    const next = await withCompany(db, companyId, async (tx) => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx)).rows[0]!.pid);
    expect(next).not.toBe(backend);
  });

  it('fails what comes next on a connection whose read-only transaction could not be ended, and discards that connection', async () => {
    counter.delayReplies(200);
    let backend = 0;
    try {
      const next = db.connection().execute(async (connection) => {
        backend = await withCompany(
          connection,
          companyId,
          async (tx) => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx)).rows[0]!.pid,
          { readOnly: true },
        );
        // Waits for the held COMMIT, which the backend does not live to answer.
        const following = withCompany(connection, companyId, async (tx) => (await settingsNow(tx)).rows[0]?.company);
        await sql`SELECT pg_terminate_backend(${backend})`.execute(env.db);
        return following;
      });
      await expect(next).rejects.toThrow();
    } finally {
      counter.delayReplies(0);
    }
    const after = await withCompany(db, companyId, async (tx) => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx)).rows[0]!.pid);
    expect(after).not.toBe(backend);
  });

  it('sends nothing for a transaction that runs no statement', async () => {
    counter.reset();
    expect(await withCompany(db, companyId, async () => 'nothing to ask')).toBe('nothing to ask');
    await expect(withCompany(db, companyId, async () => Promise.reject(new Error('before any query')))).rejects.toThrow('before any query');
    expect(counter.counts().roundTrips).toBe(0);
  });

  it('reports an error of the first statement and leaves the connection clean for the next transaction', async () => {
    await expect(withCompany(db, companyId, async (tx) => sql`SELECT 1 / ${0}::int`.execute(tx))).rejects.toThrow(/division by zero/);
    const inside = await withCompany(db, companyId, async (tx) => (await settingsNow(tx)).rows[0]);
    expect(inside).toEqual({ statement: '15s', idle: '30s', parallel: '0', company: companyId });
    expect((await settingsNow(db)).rows[0]?.company ?? '').toBe('');
  });

  it('writes and reads rows of the scope only when the first statement is a write', async () => {
    const other = (await withPlatform(env.db, (tx) => createCompany(tx, { name: 'Other Co' }))).id;
    const renamed = await withCompany(db, other, async (tx) => {
      const updated = await sql`UPDATE companies SET name = 'Other Co 2' WHERE id IN (${companyId}, ${other})`.execute(tx);
      return Number(updated.numAffectedRows);
    });
    expect(renamed).toBe(1);
    const names = await withPlatform(
      db,
      async (tx) => (await sql<{ name: string }>`SELECT name FROM companies WHERE id IN (${companyId}, ${other}) ORDER BY name`.execute(tx)).rows,
    );
    expect(names.map((row) => row.name)).toEqual(['Other Co 2', 'Settings Co']);
  });

  it('still runs the whole transaction as one: a failure rolls back what it wrote', async () => {
    const failed = withCompany(db, companyId, async (tx) => {
      await sql`UPDATE companies SET name = 'renamed' WHERE id = ${companyId}`.execute(tx);
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    const name = await withCompany(db, companyId, async (tx) => (await sql<{ name: string }>`SELECT name FROM companies`.execute(tx)).rows[0]?.name);
    expect(name).toBe('Settings Co');
  });
});
