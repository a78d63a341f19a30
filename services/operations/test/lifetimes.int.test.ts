import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCompany } from '@callvault/db';
import { REDACTED } from '@callvault/events';
import type { JobContext } from '@callvault/queue';
import { createTestEnvironment, seedCompany, twilioFormFixture, type TestEnvironment } from '@callvault/testing';
import { processMaintenance, type MaintenanceDeps } from '../src/maintenance.processor';

/**
 * Lifetimes, with the clock handed in: provider payload content goes after
 * WEBHOOK_PAYLOAD_RETENTION_DAYS once its effects are applied; audit events go after their
 * company's period and not a moment before, whatever clock the job is given.
 */
let env: TestEnvironment;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createTestEnvironment({ WEBHOOK_PAYLOAD_RETENTION_DAYS: '30' });
});
afterAll(async () => env?.close());

function maintenance(now: Date) {
  const registry = new Registry();
  const lifetimeItems = new Counter({ name: 'lifetime_items', help: 'test', labelNames: ['task'], registers: [registry] });
  const deps: MaintenanceDeps = { config: env.config, db: env.db, jobsCommitted: () => undefined, lifetimeItems, now: () => now };
  const context = { log: env.log } as unknown as JobContext;
  return {
    run: (task: 'redact-payloads' | 'prune-audit-trail') => processMaintenance(deps, { task }, context),
    counted: async (task: string) => (await lifetimeItems.get()).values.find((value) => value.labels.task === task)?.value ?? 0,
  };
}

async function storedEvent(companyId: string, input: { status: 'accepted' | 'rejected' | 'quarantined'; receivedAt: Date; appliedAt: Date | null }) {
  const payload = { ...twilioFormFixture('transcription-completed'), TranscriptionSid: `TR${randomUUID().replaceAll('-', '')}` };
  const row = await sql<{ id: string }>`
    insert into webhook_events (company_id, provider, event_type, idempotency_key, status, payload, request_path, applied_at, received_at)
    values (${input.status === 'quarantined' ? null : companyId}, 'twilio', 'transcription', ${randomUUID()}, ${input.status},
            ${JSON.stringify(payload)}::jsonb, '/webhooks/twilio/transcription', ${input.appliedAt}, ${input.receivedAt})
    returning id`.execute(env.ownerDb);
  return row.rows[0]!.id;
}

const payloadOf = async (id: string) =>
  env.ownerDb
    .selectFrom('webhook_events')
    .select(['payload', 'payload_redacted_at', 'idempotency_key', 'received_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('redact-payloads', () => {
  it('redacts content applied more than 30 days ago (and rejected or quarantined events by arrival), keeps the rest, and is idempotent', async () => {
    const company = await seedCompany(env);
    const now = new Date(Date.now() + 365 * DAY);
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const expired = await storedEvent(company.id, { status: 'accepted', receivedAt: ago(40), appliedAt: ago(31) });
    const young = await storedEvent(company.id, { status: 'accepted', receivedAt: ago(40), appliedAt: ago(29) });
    const unapplied = await storedEvent(company.id, { status: 'accepted', receivedAt: ago(90), appliedAt: null });
    const rejected = await storedEvent(company.id, { status: 'rejected', receivedAt: ago(31), appliedAt: null });
    const quarantined = await storedEvent(company.id, { status: 'quarantined', receivedAt: ago(31), appliedAt: null });
    const before = await payloadOf(expired);
    const job = maintenance(now);

    const first = (await job.run('redact-payloads')) as { redacted: number };

    expect(first.redacted).toBeGreaterThanOrEqual(3);
    for (const id of [expired, rejected, quarantined]) {
      const after = await payloadOf(id);
      expect(after.payload_redacted_at).not.toBeNull();
      expect(after.payload).toMatchObject({ TranscriptionText: REDACTED, From: REDACTED, CallSid: (before.payload as Record<string, string>).CallSid });
      expect(JSON.stringify(after.payload)).not.toContain('Jordan');
    }
    const expiredAfter = await payloadOf(expired);
    expect(expiredAfter.idempotency_key).toBe(before.idempotency_key);
    expect(expiredAfter.received_at).toEqual(before.received_at);
    // Still to be applied, or applied recently: the effects may still need every field.
    for (const id of [young, unapplied]) {
      expect((await payloadOf(id)).payload_redacted_at).toBeNull();
      expect(JSON.stringify((await payloadOf(id)).payload)).toContain('Jordan');
    }
    expect(await job.counted('redact-payloads')).toBe(first.redacted);

    expect(await job.run('redact-payloads')).toEqual({ redacted: 0 });
  });
});

describe('prune-audit-trail', () => {
  async function auditEvent(companyId: string, createdAt: Date) {
    const row = await sql<{ id: string }>`
      insert into audit_events (company_id, actor_subject, actor_role, action, target_type, target_id, created_at)
      values (${companyId}, 'tester', 'company_admin', 'recording.play', 'recording', ${randomUUID()}, ${createdAt}) returning id`.execute(env.ownerDb);
    return row.rows[0]!.id;
  }
  const exists = async (id: string) => (await env.ownerDb.selectFrom('audit_events').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

  it('removes audit events past their company’s period (six years by default), keeps younger ones, and is idempotent', async () => {
    const sixYears = await seedCompany(env);
    const oneYear = await seedCompany(env);
    await sql`update companies set audit_retention_days = 365 where id = ${oneYear.id}`.execute(env.ownerDb);
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const old = await auditEvent(sixYears.id, ago(2200));
    const recent = await auditEvent(sixYears.id, ago(2000));
    const pastOneYear = await auditEvent(oneYear.id, ago(400));
    const withinOneYear = await auditEvent(oneYear.id, ago(300));
    const job = maintenance(now);

    const result = (await job.run('prune-audit-trail')) as { removed: number };

    expect(result.removed).toBeGreaterThanOrEqual(2);
    expect(await exists(old)).toBe(false);
    expect(await exists(pastOneYear)).toBe(false);
    expect(await exists(recent)).toBe(true);
    expect(await exists(withinOneYear)).toBe(true);
    expect(await job.counted('prune-audit-trail')).toBe(result.removed);
    expect(await job.run('prune-audit-trail')).toEqual({ removed: 0 });
  });

  it('stays append-only until then: a clock far in the future removes nothing young, and the services may not delete or alter events', async () => {
    const company = await seedCompany(env);
    const young = await auditEvent(company.id, new Date(Date.now() - 10 * DAY));
    await maintenance(new Date(Date.now() + 20 * 365 * DAY)).run('prune-audit-trail');
    expect(await exists(young)).toBe(true);

    await expect(withCompany(env.db, company.id, (tx) => tx.deleteFrom('audit_events').where('id', '=', young).execute())).rejects.toThrow(/permission denied/);
    await expect(
      withCompany(env.db, company.id, (tx) => tx.updateTable('audit_events').set({ action: 'x' }).where('id', '=', young).execute()),
    ).rejects.toThrow(/permission denied/);
  });

  it('refuses an audit period under one year', async () => {
    const company = await seedCompany(env);
    await expect(sql`update companies set audit_retention_days = 30 where id = ${company.id}`.execute(env.ownerDb)).rejects.toThrow(/check constraint/);
  });
});
