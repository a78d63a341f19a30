import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createDb, withCompany, withPlatform, type Db } from '@callvault/db';
import { createTestEnvironment, startPgRoundTripCounter, type PgRoundTripCounter, type TestEnvironment } from '@callvault/testing';

let env: TestEnvironment;
let counter: PgRoundTripCounter;
let db: Db;
let companyId: string;

const settingsNow = (executor: Parameters<ReturnType<typeof sql>['execute']>[0]) =>
  sql<{ statement: string; idle: string; company: string | null }>`
    SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle,
           current_setting('callvault.company_id', true) AS company`.execute(executor);

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
  it('sets the timeouts and the company for the transaction only', async () => {
    const inside = await withCompany(db, companyId, async (tx) => (await settingsNow(tx)).rows[0]);
    expect(inside).toEqual({ statement: '15s', idle: '30s', company: companyId });
    const after = (await settingsNow(db)).rows[0];
    expect(after?.statement).toBe('0');
    expect(after?.idle).toBe('0');
    expect(after?.company ?? '').toBe('');
  });

  it('sends BEGIN with the scope statement: a one-statement transaction is three round trips', async () => {
    await withCompany(db, companyId, async (tx) => sql`SELECT 1`.execute(tx));
    counter.reset();
    await withCompany(db, companyId, async (tx) => sql`SELECT ${1}::int`.execute(tx));
    expect(counter.counts().roundTrips).toBe(3);
    counter.reset();
    await withPlatform(db, async (tx) => sql`SELECT ${1}::int`.execute(tx));
    expect(counter.counts().roundTrips).toBe(3);
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
