import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, seedCompany, type TestEnvironment } from '@callvault/testing';

/**
 * Migration 0024's functions against a hostile holder of the services' role (callvault_app: a
 * compromised service, an SQL injection). Its SECURITY DEFINER functions run as their owner, so a
 * temporary table of the caller's session must never stand in for one of ours (their search_path
 * puts pg_temp last and dynamic names are qualified), the function that creates months is the
 * owner's alone, and the unique-key trigger can neither be shadowed nor run outside READ
 * COMMITTED. The test database grants TEMPORARY as a default database does (grantAppRole revokes
 * it where migrations run), so the temp-table attacks are really attempted.
 */
let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => env?.close());

/** One session of the services' role: temporary tables live as long as the connection. */
async function appSession<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: env.config.DATABASE_APP_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function auditEvent(companyId: string, actorSubject: string) {
  const row = await sql<{ id: string }>`
    INSERT INTO audit_events (company_id, actor_subject, actor_role, action, target_type)
    VALUES (${companyId}, ${actorSubject}, 'company_admin', 'recording.played', 'recording') RETURNING id`.execute(env.ownerDb);
  return row.rows[0]!.id;
}

describe('monthly partitions: the services role against the SECURITY DEFINER functions', () => {
  it('cannot run its own SQL as the functions owner (a temp table shadowing webhook_events_default, with a trigger of pg_temp)', async () => {
    const victim = await seedCompany(env);
    const evidence = await auditEvent(victim.id, `evidence-${randomUUID()}`);

    const ranAs = await appSession(async (client) => {
      await client.query(`CREATE TEMP TABLE loot (who text, superuser boolean)`);
      await client.query(`CREATE TEMP TABLE webhook_events_default AS SELECT * FROM webhook_events WHERE false`);
      await client.query(`
        CREATE FUNCTION pg_temp.payload() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM public.audit_events WHERE id = '${evidence}';
          INSERT INTO pg_temp.loot SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
          RETURN NULL;
        END $$`);
      await client.query(`CREATE TRIGGER payload BEFORE DELETE ON pg_temp.webhook_events_default FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.payload()`);
      // The maintenance, which the services' role runs every hour, deletes from the default partition.
      await client.query(`SELECT * FROM maintain_monthly_partitions(now(), 90)`);
      return (await client.query<{ who: string; superuser: boolean }>(`SELECT DISTINCT who, superuser FROM pg_temp.loot`)).rows;
    });

    expect(ranAs).toEqual([]);
    const still = await env.ownerDb.selectFrom('audit_events').select('id').where('id', '=', evidence).execute();
    expect(still.map((row) => row.id)).toEqual([evidence]);
  });

  it('may not call the function that creates months (the owner and the maintenance do)', async () => {
    await appSession(async (client) => {
      await expect(client.query(`SELECT callvault_create_month_partitions('webhook_events', '1990-01-01'::timestamp, 24)`)).rejects.toThrow(
        /permission denied for function/,
      );
    });
  });

  it('keeps the idempotency key unique when the session has a temp table named webhook_events (the trigger reads an unqualified name)', async () => {
    const company = await seedCompany(env);
    const key = `twilio:AC${randomUUID().replace(/-/g, '')}:CAshadow:completed:1`;
    await appSession(async (client) => {
      await client.query(`CREATE TEMP TABLE webhook_events (idempotency_key text, id uuid)`);
      await client.query(`SELECT set_config('callvault.company_id', $1, false)`, [company.id]);
      for (const n of [1, 2]) {
        await client.query(
          `INSERT INTO public.webhook_events (company_id, provider, event_type, idempotency_key, status, payload, request_path)
           VALUES ($1, 'twilio', 'call-status', $2, 'accepted', $3, '/webhooks/twilio/status')`,
          [company.id, key, JSON.stringify({ n })],
        );
      }
    });
    const rows = await env.ownerDb.selectFrom('webhook_events').select('id').where('idempotency_key', '=', key).execute();
    expect(rows).toHaveLength(1);
  });
});

describe('monthly partitions: the unique-key trigger outside READ COMMITTED', () => {
  // Under REPEATABLE READ the trigger's check could not see a key stored after the transaction
  // began, and both deliveries would be stored: it refuses the insert instead.
  it('refuses to store a webhook event in a REPEATABLE READ or SERIALIZABLE transaction', async () => {
    const company = await seedCompany(env);
    for (const level of ['REPEATABLE READ', 'SERIALIZABLE']) {
      await appSession(async (client) => {
        await client.query(`BEGIN ISOLATION LEVEL ${level}`);
        await client.query(`SELECT set_config('callvault.platform', 'on', true)`);
        await expect(
          client.query(
            `INSERT INTO webhook_events (company_id, provider, event_type, idempotency_key, status, payload, request_path)
             VALUES ($1, 'twilio', 'call-status', $2, 'accepted', '{}', '/webhooks/twilio/status')`,
            [company.id, `rr-${randomUUID()}`],
          ),
          level,
        ).rejects.toThrow(/READ COMMITTED/);
        await client.query('ROLLBACK');
      });
    }
  });
});
