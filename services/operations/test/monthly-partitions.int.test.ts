import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertWebhookEvents, withPlatform, type NewWebhookEvent } from '@callvault/db';
import type { JobContext } from '@callvault/queue';
import { createTestEnvironment, seedCompany, type TestEnvironment } from '@callvault/testing';
import { processMaintenance, type MaintenanceDeps } from '../src/maintenance.processor';

/**
 * webhook_events and audit_events by month (migration 0024): the idempotency key stays unique
 * across months, months are created ahead, rows outside every month are kept and moved in when
 * their month comes, and whole months end by the rules the database applies, not the caller.
 */
let env: TestEnvironment;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createTestEnvironment({ WEBHOOK_EVENT_RETENTION_DAYS: '90' });
});
afterAll(async () => env?.close());

function maintainPartitions(now = new Date()) {
  const registry = new Registry();
  const lifetimeItems = new Counter({ name: 'lifetime_items', help: 'test', labelNames: ['task'], registers: [registry] });
  const deps: MaintenanceDeps = { config: env.config, db: env.db, jobsCommitted: () => undefined, lifetimeItems, now: () => now };
  return processMaintenance(deps, { task: 'maintain-partitions' }, { log: env.log } as unknown as JobContext) as Promise<{
    changes: Array<{ partition: string; outcome: string }>;
  }>;
}

const monthName = (table: string, at: Date) => `${table}_${at.toISOString().slice(0, 4)}_${at.toISOString().slice(5, 7)}`;
const monthStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));

async function partitionsOf(table: string): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = ${table}::regclass ORDER BY 1`.execute(env.ownerDb);
  return rows.rows.map((row) => row.name);
}

/** Which partition holds a row: the answer to "did it land where its month is?". */
async function partitionHolding(table: 'webhook_events' | 'audit_events', id: string): Promise<string | undefined> {
  const row = await sql<{ name: string }>`SELECT tableoid::regclass::text AS name FROM ${sql.table(table)} WHERE id = ${id}`.execute(env.ownerDb);
  return row.rows[0]?.name;
}

/** The months from `from` on, created as an operator restoring old rows would (the owner's function). */
const createMonthsFrom = (table: string, from: Date) =>
  sql`SELECT callvault_create_month_partitions(${table}, ${monthStart(from).toISOString().slice(0, 19)}::timestamp, 3)`.execute(env.ownerDb);

function event(companyId: string, key: string): NewWebhookEvent {
  return {
    companyId,
    provider: 'twilio',
    eventType: 'call-status',
    idempotencyKey: key,
    status: 'accepted',
    payload: { key },
    requestPath: '/webhooks/twilio/status',
  };
}

async function storedEvent(companyId: string, input: { receivedAt: Date; status?: 'accepted' | 'quarantined'; applied?: boolean; key?: string }) {
  const row = await sql<{ id: string }>`
    INSERT INTO webhook_events (company_id, provider, event_type, idempotency_key, status, payload, request_path, applied_at, received_at)
    VALUES (${input.status === 'quarantined' ? null : companyId}, 'twilio', 'call-status', ${input.key ?? randomUUID()}, ${input.status ?? 'accepted'},
            '{}'::jsonb, '/webhooks/twilio/status', ${input.applied === false ? null : input.receivedAt}, ${input.receivedAt})
    RETURNING id`.execute(env.ownerDb);
  return row.rows[0]?.id;
}

async function auditEvent(companyId: string, createdAt: Date) {
  const row = await sql<{ id: string }>`
    INSERT INTO audit_events (company_id, actor_subject, actor_role, action, target_type, created_at)
    VALUES (${companyId}, 'test', 'company_admin', 'recording.played', 'recording', ${createdAt}) RETURNING id`.execute(env.ownerDb);
  return row.rows[0]!.id;
}

describe('monthly partitions', () => {
  it('has this month and three ahead for both tables, and puts a new row in its month', async () => {
    const company = await seedCompany(env);
    const now = new Date();
    for (const table of ['webhook_events', 'audit_events']) {
      const months = await partitionsOf(table);
      for (let ahead = 0; ahead <= 3; ahead++) {
        expect(months).toContain(monthName(table, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1))));
      }
      expect(months).toContain(`${table}_default`);
    }
    const stored = await withPlatform(env.db, (tx) => insertWebhookEvents(tx, [event(company.id, randomUUID())]));
    expect(await partitionHolding('webhook_events', [...stored.values()][0]!)).toBe(monthName('webhook_events', now));
  });

  it('keeps an idempotency key unique across months: a retry of an event stored months ago has no effect', async () => {
    const company = await seedCompany(env);
    const key = `retry-${randomUUID()}`;
    const old = await storedEvent(company.id, { receivedAt: new Date(Date.now() - 70 * DAY), key });
    expect(await partitionHolding('webhook_events', old!)).not.toBe(monthName('webhook_events', new Date()));

    const retried = await withPlatform(env.db, (tx) => insertWebhookEvents(tx, [event(company.id, key)]));

    expect(retried.size).toBe(0);
    const rows = await env.ownerDb.selectFrom('webhook_events').select('id').where('idempotency_key', '=', key).execute();
    expect(rows.map((row) => row.id)).toEqual([old]);
  });

  it('stores one row for a key delivered twice in one batch and for a key delivered by two transactions at once', async () => {
    const company = await seedCompany(env);
    const inBatch = `batch-${randomUUID()}`;
    const batch = await withPlatform(env.db, (tx) => insertWebhookEvents(tx, [event(company.id, inBatch), event(company.id, inBatch)]));
    expect(batch.size).toBe(1);

    const raced = `race-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        withPlatform(env.db, async (tx) => {
          const ids = await insertWebhookEvents(tx, [event(company.id, raced)]);
          // Hold the transaction open a moment so the others queue behind its key lock.
          await sql`SELECT pg_sleep(0.05)`.execute(tx);
          return ids.size;
        }),
      ),
    );
    expect(results.reduce((sum, size) => sum + size, 0)).toBe(1);
    for (const key of [inBatch, raced]) {
      const count = await env.ownerDb
        .selectFrom('webhook_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('idempotency_key', '=', key)
        .executeTakeFirstOrThrow();
      expect(Number(count.n), key).toBe(1);
    }
  });

  it('keeps a row outside every month in the default partition and moves it into its month when that is created', async () => {
    const company = await seedCompany(env);
    const farBack = new Date(Date.UTC(2019, 4, 15));
    const id = await auditEvent(company.id, farBack);
    expect(await partitionHolding('audit_events', id)).toBe('audit_events_default');

    await createMonthsFrom('audit_events', farBack);

    expect(await partitionHolding('audit_events', id)).toBe('audit_events_2019_05');
  });

  it('drops webhook-event months past WEBHOOK_EVENT_RETENTION_DAYS, keeping their events still to apply and quarantined ones in the default partition', async () => {
    const company = await seedCompany(env);
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);
    const expired = await storedEvent(company.id, { receivedAt: at(200) });
    const pending = await storedEvent(company.id, { receivedAt: at(300), applied: false });
    const quarantined = await storedEvent(company.id, { receivedAt: at(400), status: 'quarantined' });
    const kept = await storedEvent(company.id, { receivedAt: at(40) });
    await createMonthsFrom('webhook_events', at(400));
    const expiredMonth = (await partitionHolding('webhook_events', expired!))!;

    const { changes } = await maintainPartitions();

    expect(changes).toContainEqual({ partition: expiredMonth, outcome: 'dropped' });
    expect(await partitionHolding('webhook_events', expired!)).toBeUndefined();
    for (const [id, daysAgo] of [
      [pending, 300],
      [quarantined, 400],
    ] as const) {
      expect(changes).toContainEqual({
        partition: monthName('webhook_events', at(daysAgo)),
        outcome: 'dropped; 1 events still to apply or quarantined moved to the default partition',
      });
      expect(await partitionHolding('webhook_events', id!)).toBe('webhook_events_default');
    }
    // And they stay there: the next run neither drops nor deletes them.
    await maintainPartitions();
    for (const id of [pending, quarantined]) expect(await partitionHolding('webhook_events', id!)).toBe('webhook_events_default');
    expect(await partitionHolding('webhook_events', kept!)).toBe(monthName('webhook_events', at(40)));
    expect(await partitionsOf('webhook_events')).not.toContain(expiredMonth);
  });

  it('drops an audit month only once it is older than the longest retention of any company, whatever clock the caller gives', async () => {
    const company = await seedCompany(env);
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);
    const longest = await sql<{ days: number }>`SELECT max(audit_retention_days) AS days FROM companies`.execute(env.ownerDb);
    const retention = longest.rows[0]!.days;
    const beyond = await auditEvent(company.id, at(retention + 60));
    const within = await auditEvent(company.id, at(retention - 60));
    await createMonthsFrom('audit_events', at(retention + 60));
    const beyondMonth = (await partitionHolding('audit_events', beyond))!;

    // A clock handed in twenty years ahead: the database's own clock decides.
    const { changes } = await maintainPartitions(new Date(Date.now() + 20 * 365 * DAY));
    const dropped = changes.filter((change) => change.outcome === 'dropped').map((change) => change.partition);

    expect(dropped).toContain(beyondMonth);
    expect(await partitionHolding('audit_events', beyond)).toBeUndefined();
    expect(await partitionHolding('audit_events', within)).toBe(monthName('audit_events', at(retention - 60)));
    expect(dropped.filter((name) => name.startsWith('audit_events_') && name >= monthName('audit_events', at(retention - 30)))).toEqual([]);
  });

  // DROP and ATTACH need a lock every open reader of the table holds off, and webhook inserts
  // would queue behind the waiting DDL (Twilio waits 15 s and does not retry a timeout): the
  // maintenance waits 500 ms at most and leaves the month for its next run.
  it('does not hold up webhook inserts while a reader of webhook_events is open: the month waits for the next run', async () => {
    const company = await seedCompany(env);
    const old = new Date(Date.now() - 200 * DAY);
    await storedEvent(company.id, { receivedAt: old });
    await createMonthsFrom('webhook_events', old);

    // A reader (a report, a pg_dump) holds the table for a few seconds.
    const reader = new pg.Client({ connectionString: env.config.DATABASE_URL });
    await reader.connect();
    await reader.query('BEGIN');
    await reader.query('SELECT count(*) FROM webhook_events');
    const maintenance = maintainPartitions();
    await new Promise((resolve) => setTimeout(resolve, 300));

    const started = Date.now();
    const releaseReader = setTimeout(() => void reader.query('COMMIT'), 6_000);
    await withPlatform(env.db, (tx) => insertWebhookEvents(tx, [event(company.id, randomUUID())]));
    const waited = Date.now() - started;
    clearTimeout(releaseReader);
    await reader.query('COMMIT').catch(() => undefined);
    await reader.end();
    const { changes } = await maintenance;

    expect(waited).toBeLessThan(2_000);
    expect(changes.filter((change) => change.outcome.startsWith('deferred')).length).toBeGreaterThan(0);
    // The next run, with no reader in the way, drops it.
    expect((await maintainPartitions()).changes.some((change) => change.outcome === 'dropped')).toBe(true);
  });

  it('refuses the services role a partition named directly, and the months only the owner may create', async () => {
    await expect(withPlatform(env.db, (tx) => sql`SELECT count(*) FROM webhook_events_default`.execute(tx))).rejects.toThrow(/permission denied/);
    await expect(withPlatform(env.db, (tx) => sql`DROP TABLE audit_events_default`.execute(tx))).rejects.toThrow(/must be owner/);
  });
});
