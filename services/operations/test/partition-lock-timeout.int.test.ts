import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertWebhookEvents, withPlatform, type NewWebhookEvent } from '@callvault/db';
import { createTestEnvironment, seedCompany, type TestEnvironment } from '@callvault/testing';
import { maintainPartitions } from '../src/tasks/maintain-partitions';

/**
 * Dropping an expired month needs a lock every open reader of webhook_events (a report, pg_dump)
 * holds off, and every webhook insert would queue behind the waiting DROP: Twilio waits 15 s and
 * does not retry a timeout. The maintenance waits 500 ms at most for such a lock and leaves the
 * month for its next run.
 */
let env: TestEnvironment;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createTestEnvironment({ WEBHOOK_EVENT_RETENTION_DAYS: '90' });
});
afterAll(async () => env?.close());

function event(companyId: string): NewWebhookEvent {
  const key = `twilio:AC${randomUUID().replace(/-/g, '')}:CA:completed:1`;
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

describe('maintain-partitions under an open reader', () => {
  it('does not hold up the intake while a reader of webhook_events is open (a droppable month exists)', async () => {
    const company = await seedCompany(env);
    const old = new Date(Date.now() - 200 * DAY);
    await sql`SELECT callvault_create_month_partitions('webhook_events', ${old.toISOString().slice(0, 19)}::timestamp, 3)`.execute(env.ownerDb);
    await sql`INSERT INTO webhook_events (company_id, provider, event_type, idempotency_key, status, payload, request_path, applied_at, received_at)
      VALUES (${company.id}, 'twilio', 'call-status', ${randomUUID()}, 'accepted', '{}'::jsonb, '/x', ${old}, ${old})`.execute(env.ownerDb);

    // A reader (a report, a pg_dump) holds the table for a few seconds.
    const reader = new pg.Client({ connectionString: env.config.DATABASE_URL });
    await reader.connect();
    await reader.query('BEGIN');
    await reader.query('SELECT count(*) FROM webhook_events');
    const maintenance = maintainPartitions(env.db, 90, new Date());
    await new Promise((resolve) => setTimeout(resolve, 300));

    const started = Date.now();
    const releaseReader = setTimeout(() => void reader.query('COMMIT'), 6_000);
    await withPlatform(env.db, (tx) => insertWebhookEvents(tx, [event(company.id)]));
    const waited = Date.now() - started;
    clearTimeout(releaseReader);
    await reader.query('COMMIT').catch(() => undefined);
    await reader.end();
    const changes = await maintenance;

    expect(waited).toBeLessThan(2_000);
    expect(changes.filter((change) => change.outcome.startsWith('deferred')).length).toBeGreaterThan(0);
    // The next run, with no reader in the way, drops it.
    expect((await maintainPartitions(env.db, 90, new Date())).some((change) => change.outcome === 'dropped')).toBe(true);
  });
});
