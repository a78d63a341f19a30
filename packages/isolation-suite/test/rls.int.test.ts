import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPANY_OWNED_TABLES, OWNER_ONLY_TABLES, PLATFORM_OR_COMPANY_TABLES, withCompany, withPlatform, type Database } from '@callvault/db';
import { createTestEnvironment, type TestEnvironment } from '@callvault/testing';
import { buildWorld, type World } from '../src/world';

/**
 * Row-level security as the second wall, checked from the application role (callvault_app)
 * with no help from the code's own filters: every table with a company_id is found at run
 * time, so a new company-owned table without a policy fails here.
 */
let env: TestEnvironment;
let world: World;
let tables: string[];
let appRole: string;

/** Two companies, each with a team, calls, recordings, transcripts, numbers, accounts and events. */
const shape = (calls: number) => ({
  teams: [1],
  callsPerUser: Array.from({ length: 9 }, () =>
    Array.from({ length: calls }, () => ({ recording: 'stored' as const, direction: 'inbound' as const, daysAgo: 1, durationSeconds: 10, transcript: true })),
  ),
  unownedCalls: [],
  registeredNumbers: 2,
});

beforeAll(async () => {
  env = await createTestEnvironment();
  world = await buildWorld(env, { companies: [shape(1), shape(1)] });
  const [a, b] = world.companies;
  // Rows in the tables the world builder leaves empty.
  for (const company of [a!, b!]) {
    const recording = world.recordings.find((entry) => entry.companyId === company.id)!;
    await env.ownerDb
      .insertInto('call_metrics')
      .values({ company_id: company.id, recording_id: recording.id, call_id: recording.callId, metrics: '{}', computed_at: new Date() })
      .execute();
    await env.ownerDb
      .insertInto('intelligence_settings')
      .values({ company_id: company.id, scorecard_questions: '[]', model_base_url: null, model_name: null, model_key_sealed: null })
      .execute();
    await env.ownerDb
      .insertInto('call_analyses')
      .values({
        company_id: company.id,
        recording_id: recording.id,
        call_id: recording.callId,
        status: 'completed',
        result: '{}',
        model: 'seed',
        completed_at: new Date(),
        error: null,
        failed_at: null,
      })
      .execute();
    await env.ownerDb
      .insertInto('redaction_patterns')
      .values({ company_id: company.id, name: 'mrn', source: 'MRN-\\d{6}', placeholder: '[REDACTED MRN]', position: 0 })
      .execute();
    await env.ownerDb
      .insertInto('model_usage')
      .values({ company_id: company.id, model: 'seed', day: '2001-01-01', prompt_tokens: 1, completion_tokens: 1 })
      .execute();
    await env.ownerDb
      .insertInto('audit_events')
      .values({ company_id: company.id, actor_subject: 'seed', actor_role: 'superadmin', action: 'seed', target_type: 'company', target_id: company.id })
      .execute();
    await env.ownerDb.insertInto('rollup_dirty_days').values({ company_id: company.id, day: '2001-01-01' }).execute();
    await env.ownerDb
      .insertInto('job_outbox')
      .values({
        company_id: company.id,
        queue: 'analytics',
        job_id: `analyze-${recording.id}`,
        payload: JSON.stringify({ companyId: company.id, recordingId: recording.id }),
        priority: null,
      })
      .execute();
    await env.ownerDb
      .insertInto('provider_transcripts')
      .values({
        company_id: company.id,
        provider: 'twilio',
        provider_recording_id: `RE${randomUUID().replaceAll('-', '')}`,
        language: null,
        text: 'seed',
        segments: '[]',
      })
      .execute();
    const admin = world.users.find((user) => user.companyId === company.id && user.role === 'company_admin')!;
    await env.ownerDb
      .insertInto('api_keys')
      .values({
        company_id: company.id,
        user_id: admin.id,
        name: 'seed',
        role: 'company_admin',
        token_hash: randomUUID(),
        token_prefix: 'cvk_seed',
        expires_at: null,
        revoked_at: null,
        last_used_at: null,
        rotated_to: null,
        created_by_user_id: null,
      })
      .execute();
    const endpoint = await env.ownerDb
      .insertInto('webhook_endpoints')
      .values({ company_id: company.id, url: 'https://crm.example/hooks', description: null, event_types: ['recording.stored'], secret_sealed: 'seed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const delivery = await env.ownerDb
      .insertInto('webhook_deliveries')
      .values({ company_id: company.id, endpoint_id: endpoint.id, event_type: 'recording.stored', payload: '{}', delivered_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await env.ownerDb
      .insertInto('webhook_delivery_attempts')
      .values({ company_id: company.id, delivery_id: delivery.id, attempt: 1, status_code: 200, error: null, latency_ms: 5, response_excerpt: null })
      .execute();
    await env.ownerDb
      .insertInto('idempotency_keys')
      .values({
        company_id: company.id,
        principal: `user:${randomUUID()}`,
        key: 'seed',
        request_hash: 'seed',
        response_status: null,
        response_content_type: null,
        response_body: null,
      })
      .execute();
    await env.ownerDb.insertInto('feed_tombstones').values({ id: randomUUID(), company_id: company.id, entity: 'call', owner_user_id: null }).execute();
  }
  const found = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.columns JOIN pg_class ON relname = table_name AND relnamespace = 'public'::regnamespace
    WHERE table_schema = 'public' AND column_name = 'company_id' AND NOT relispartition AND table_name <> ALL(${OWNER_ONLY_TABLES})
    ORDER BY table_name`.execute(env.ownerDb);
  tables = found.rows.map((row) => row.table_name);
  appRole = (await sql<{ user: string }>`SELECT current_user AS user`.execute(env.db)).rows[0]!.user;
}, 60_000);

afterAll(async () => env?.close());

/** `SELECT *` of a table through a transaction of the app role, without any filter of ours. */
const selectAll = (db: Kysely<Database>, table: string) =>
  sql<{ company_id: string | null }>`SELECT * FROM ${sql.table(table)}`.execute(db).then((result) => result.rows);

describe('row-level security from the application role', () => {
  it('runs as a role that is neither superuser nor BYPASSRLS and owns no table', async () => {
    expect(appRole).toBe('callvault_app');
    const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`.execute(
      env.db,
    );
    expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = ${appRole}`.execute(
      env.ownerDb,
    );
    expect(owned.rows).toEqual([]);
  });

  it('knows every table with a company_id: COMPANY_OWNED_TABLES plus PLATFORM_OR_COMPANY_TABLES (nullable company)', () => {
    expect(tables).toEqual([...COMPANY_OWNED_TABLES, ...PLATFORM_OR_COMPANY_TABLES].sort());
  });

  it('enables and forces RLS with a policy on every such table', async () => {
    const rows = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: number }>`
      SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = ANY(${tables})`.execute(env.ownerDb);
    expect(rows.rows.map((row) => row.relname).sort()).toEqual(tables);
    for (const row of rows.rows) expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
    for (const row of rows.rows) expect(row.policies, `${row.relname} has no policy`).toBeGreaterThan(0);
  });

  it('seeded rows of both companies in every such table (so the checks below see something)', async () => {
    for (const table of tables) {
      const companies = new Set((await selectAll(env.ownerDb, table)).map((row) => row.company_id));
      for (const company of world.companies) expect(companies.has(company.id), `${table} has no row of company ${company.id}`).toBe(true);
    }
  });

  it('shows a company transaction only its own rows, whatever the query forgets to filter', async () => {
    for (const company of world.companies) {
      for (const table of tables) {
        const rows = await withCompany(env.db, company.id, (tx) => selectAll(tx, table));
        expect(rows.length, `${table} in company ${company.id}`).toBeGreaterThan(0);
        expect(
          rows.filter((row) => row.company_id !== company.id),
          `${table} shows another company's rows`,
        ).toEqual([]);
      }
    }
  });

  it('shows nothing at all outside withCompany/withPlatform', async () => {
    for (const table of [...tables, 'companies', 'platform_admins']) expect(await selectAll(env.db, table), table).toEqual([]);
  });

  it('refuses the services role every partition named directly (row-level security applies to the parent only)', async () => {
    const partitions = await sql<{ name: string }>`
      SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relispartition AND relkind = 'r' ORDER BY relname`.execute(
      env.ownerDb,
    );
    expect(partitions.rows.map((row) => row.name)).toEqual(expect.arrayContaining(['audit_events_default', 'webhook_events_default']));
    for (const { name } of partitions.rows) {
      await expect(
        withPlatform(env.db, (tx) => selectAll(tx, name)),
        name,
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('refuses the services role the tables only their owner reads, in every scope and for every statement', async () => {
    const [a] = world.companies;
    for (const table of OWNER_ONLY_TABLES) {
      const owned = await selectAll(env.ownerDb, table);
      expect(owned.length, `${table} holds rows (so a refusal is not an empty answer)`).toBeGreaterThan(0);
      for (const open of [
        (work: (tx: Kysely<Database>) => Promise<unknown>) => withPlatform(env.db, work),
        (work: (tx: Kysely<Database>) => Promise<unknown>) => withCompany(env.db, a!.id, work),
      ]) {
        await expect(
          open((tx) => selectAll(tx, table)),
          table,
        ).rejects.toThrow(/permission denied/);
        await expect(
          open((tx) => sql`DELETE FROM ${sql.table(table)}`.execute(tx)),
          table,
        ).rejects.toThrow(/permission denied/);
        await expect(
          open((tx) => sql`UPDATE ${sql.table(table)} SET company_id = company_id`.execute(tx)),
          table,
        ).rejects.toThrow(/permission denied/);
      }
    }
  });

  it('refuses, in every such table, a copy of an own row re-labelled with another company (WITH CHECK)', async () => {
    const [a, b] = world.companies as [World['companies'][number], World['companies'][number]];
    const columns = await sql<{ table_name: string; column_name: string; data_type: string; is_generated: string; is_identity: string }>`
      SELECT table_name, column_name, data_type, is_generated, is_identity FROM information_schema.columns WHERE table_schema = 'public'`.execute(env.ownerDb);
    for (const table of tables) {
      const own = (await selectAll(env.ownerDb, table)).find((row) => row.company_id === a.id) as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      for (const column of columns.rows.filter((entry) => entry.table_name === table && entry.is_generated !== 'ALWAYS' && entry.is_identity !== 'YES')) {
        const value = own[column.column_name];
        copy[column.column_name] = column.data_type === 'jsonb' && value !== null ? JSON.stringify(value) : value;
      }
      // A fresh idempotency key too: a webhook event repeating a stored key is skipped as a
      // duplicate before the policy is asked (migration 0024), which would prove nothing here.
      Object.assign(copy, {
        company_id: b.id,
        ...('id' in copy ? { id: randomUUID() } : {}),
        ...('idempotency_key' in copy ? { idempotency_key: randomUUID() } : {}),
      });
      const names = Object.keys(copy);
      const insert = sql`INSERT INTO ${sql.table(table)} (${sql.join(names.map((name) => sql.id(name)))}) VALUES (${sql.join(names.map((name) => sql`${copy[name]}`))})`;
      await expect(
        withCompany(env.db, a.id, (tx) => insert.execute(tx)),
        `${table} accepted a row of another company`,
      ).rejects.toThrow(/row-level security/);
    }
  });

  it('refuses to write a row for another company from a company transaction (WITH CHECK)', async () => {
    const [a, b] = world.companies as [World['companies'][number], World['companies'][number]];
    const attempts: Record<string, (companyId: string) => Promise<unknown>> = {
      users: (companyId) =>
        withCompany(env.db, a.id, (tx) =>
          tx
            .insertInto('users')
            .values({ company_id: companyId, subject: `x-${randomUUID()}`, role: 'agent', email: null, name: null, manager_id: null })
            .execute(),
        ),
      phone_numbers: (companyId) =>
        withCompany(env.db, a.id, (tx) => tx.insertInto('phone_numbers').values({ company_id: companyId, e164: '+15550000001', match_on: 'from' }).execute()),
      calls: (companyId) =>
        withCompany(env.db, a.id, (tx) =>
          tx.insertInto('calls').values({ company_id: companyId, provider: 'twilio', status: 'completed', status_rank: 1 }).execute(),
        ),
      audit_events: (companyId) =>
        withCompany(env.db, a.id, (tx) =>
          tx
            .insertInto('audit_events')
            .values({ company_id: companyId, actor_subject: 'x', actor_role: 'agent', action: 'x', target_type: 'x', target_id: null })
            .execute(),
        ),
      webhook_events: (companyId) =>
        withCompany(env.db, a.id, (tx) =>
          tx
            .insertInto('webhook_events')
            .values({
              company_id: companyId,
              provider: 'twilio',
              event_type: 'x',
              idempotency_key: randomUUID(),
              status: 'accepted',
              payload: '{}',
              request_path: '/x',
            })
            .execute(),
        ),
      rollup_dirty_days: (companyId) =>
        withCompany(env.db, a.id, (tx) => tx.insertInto('rollup_dirty_days').values({ company_id: companyId, day: '2001-02-03' }).execute()),
    };
    for (const [table, insert] of Object.entries(attempts)) {
      await expect(insert(b.id), `${table} accepted a row of another company`).rejects.toThrow(/row-level security/);
      await expect(insert(a.id), `${table} refused a row of its own company`).resolves.toBeDefined();
    }
  });

  it("refuses to move a row into another company or to update or delete another company's rows", async () => {
    const [a, b] = world.companies as [World['companies'][number], World['companies'][number]];
    const theirs = world.recordings.find((recording) => recording.companyId === b.id)!;
    const ours = world.recordings.find((recording) => recording.companyId === a.id)!;
    const touched = await withCompany(env.db, a.id, async (tx) => ({
      updated: (await tx.updateTable('recordings').set({ starred: true }).where('id', '=', theirs.id).executeTakeFirst()).numUpdatedRows,
      deleted: (await tx.deleteFrom('transcripts').where('recording_id', '=', theirs.id).executeTakeFirst()).numDeletedRows,
    }));
    expect(touched).toEqual({ updated: 0n, deleted: 0n });
    await expect(
      withCompany(env.db, a.id, (tx) => tx.updateTable('calls').set({ company_id: b.id }).where('id', '=', ours.callId).execute()),
    ).rejects.toThrow();
    expect((await env.ownerDb.selectFrom('recordings').select('starred').where('id', '=', theirs.id).executeTakeFirstOrThrow()).starred).toBe(false);
  });

  it('keeps audit events append-only for the application role', async () => {
    const [a] = world.companies;
    await expect(withCompany(env.db, a!.id, (tx) => tx.updateTable('audit_events').set({ action: 'tampered' }).execute())).rejects.toThrow(/permission denied/);
    await expect(withCompany(env.db, a!.id, (tx) => tx.deleteFrom('audit_events').execute())).rejects.toThrow(/permission denied/);
    await expect(withPlatform(env.db, (tx) => tx.deleteFrom('audit_events').execute())).rejects.toThrow(/permission denied/);
    await expect(sql`TRUNCATE audit_events`.execute(env.db)).rejects.toThrow(/permission denied/);
  });

  it('keeps quarantined webhook events (no company) for platform transactions only', async () => {
    const quarantined = world.events.find((event) => event.companyId === null)!;
    for (const company of world.companies) {
      const seen = await withCompany(env.db, company.id, (tx) => tx.selectFrom('webhook_events').select('id').where('id', '=', quarantined.id).execute());
      expect(seen).toEqual([]);
    }
    expect(await withPlatform(env.db, (tx) => tx.selectFrom('webhook_events').select('id').where('id', '=', quarantined.id).execute())).toHaveLength(1);
  });
});
