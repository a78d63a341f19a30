import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openForFile, waitFor } from '@callvault/testing';
import { createAdminWorld } from './admin-test-kit';

const world = openForFile(createAdminWorld);

const post = (token: string, url: string, body: unknown, key?: string) =>
  world().app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${token}`, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    payload: body as object,
  });

const usersWithSubject = async (subject: string) =>
  (await world().env.ownerDb.selectFrom('users').select('id').where('subject', '=', subject).execute()).length;

describe('Idempotency-Key on POST', () => {
  it('answers a repeat with the first answer (status, body, Idempotent-Replayed) and acts once', async () => {
    const subject = `idem-${randomUUID()}`;
    const key = `create-${randomUUID()}`;
    const first = await post(world().tokens.adminA, '/v1/users', { subject, role: 'agent', name: 'Ada' }, key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Same body, keys in another order: the same request.
    const again = await post(world().tokens.adminA, '/v1/users', { role: 'agent', name: 'Ada', subject }, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/application\/json/);
    expect(again.json()).toEqual(first.json());
    expect(await usersWithSubject(subject)).toBe(1);

    // Without a key nothing changes: a second POST is a second request (here a conflict).
    expect((await post(world().tokens.adminA, '/v1/users', { subject, role: 'agent', name: 'Ada' })).statusCode).toBe(409);
  });

  it('keeps answers sealed: a new API key shown once is not readable in the database, yet a repeat gets it again', async () => {
    const key = `api-key-${randomUUID()}`;
    const created = await post(world().tokens.adminA, '/v1/api-keys', { name: 'crm', role: 'company_admin' }, key);
    expect(created.statusCode).toBe(201);
    const secret: string = created.json().key;
    expect(secret).toMatch(/^cvk_/);
    const stored = await world().env.ownerDb.selectFrom('idempotency_keys').select('response_body').where('key', '=', key).executeTakeFirstOrThrow();
    expect(stored.response_body).not.toContain(secret);
    expect(stored.response_body).not.toContain('crm');
    const again = await post(world().tokens.adminA, '/v1/api-keys', { name: 'crm', role: 'company_admin' }, key);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().key).toBe(secret);
    // A sealed answer belongs to its row: copied onto another key's row it does not open.
    const other = `api-key-${randomUUID()}`;
    expect((await post(world().tokens.adminA, '/v1/api-keys', { name: 'crm2', role: 'company_admin' }, other)).statusCode).toBe(201);
    await world().env.ownerDb.updateTable('idempotency_keys').set({ response_body: stored.response_body }).where('key', '=', other).execute();
    expect((await post(world().tokens.adminA, '/v1/api-keys', { name: 'crm2', role: 'company_admin' }, other)).statusCode).toBe(500);
  });

  it('refuses the key with another body, method path or query (422), and replays errors below 500 too', async () => {
    const key = `k-${randomUUID()}`;
    const subject = `idem-${randomUUID()}`;
    expect((await post(world().tokens.adminA, '/v1/users', { subject, role: 'agent' }, key)).statusCode).toBe(201);
    const changed = await post(world().tokens.adminA, '/v1/users', { subject, role: 'manager' }, key);
    expect(changed.statusCode).toBe(422);
    expect(changed.json().code).toBe('idempotency_key_reused');
    const elsewhere = await post(world().tokens.adminA, `/v1/users?companyId=${world().a.id}`, { subject, role: 'agent' }, key);
    expect(elsewhere.statusCode).toBe(422);
    expect(await usersWithSubject(subject)).toBe(1);

    const missingKey = `k-${randomUUID()}`;
    const unknownManager = { subject: `idem-${randomUUID()}`, role: 'agent', managerId: randomUUID() };
    const refused = await post(world().tokens.adminA, '/v1/users', unknownManager, missingKey);
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    const replayed = await post(world().tokens.adminA, '/v1/users', unknownManager, missingKey);
    expect(replayed.statusCode).toBe(refused.statusCode);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.json().code).toBe(refused.json().code);
  });

  it('validates the key: 1 to 255 printable ASCII characters (400)', async () => {
    for (const key of ['', 'x'.repeat(256), 'caf\u00e9', 'tab\there']) {
      const subject = `idem-${randomUUID()}`;
      const response = await world().app.inject({
        method: 'POST',
        url: '/v1/users',
        headers: { authorization: `Bearer ${world().tokens.adminA}`, 'idempotency-key': key },
        payload: { subject, role: 'agent' },
      });
      expect(response.statusCode, JSON.stringify(key)).toBe(400);
      expect(response.json().code).toBe('invalid_idempotency_key');
      expect(await usersWithSubject(subject)).toBe(0);
    }
    expect((await post(world().tokens.adminA, '/v1/users', { subject: `idem-${randomUUID()}`, role: 'agent' }, 'x'.repeat(255))).statusCode).toBe(201);
  });

  it('keeps keys per caller: two companies (and two callers of one) with the same key never see each other', async () => {
    const key = `shared-${randomUUID()}`;
    const subjectA = `idem-a-${randomUUID()}`;
    const subjectB = `idem-b-${randomUUID()}`;
    const fromA = await post(world().tokens.adminA, '/v1/users', { subject: subjectA, role: 'agent' }, key);
    const fromB = await post(world().tokens.adminB, '/v1/users', { subject: subjectB, role: 'agent' }, key);
    expect([fromA.statusCode, fromB.statusCode]).toEqual([201, 201]);
    expect(fromB.headers['idempotent-replayed']).toBeUndefined();
    expect(fromB.json()).toMatchObject({ subject: subjectB, companyId: world().b.id });
    // The key is B's own: A's body with it is measured against B's first request, never against A's.
    const bWithABody = await post(world().tokens.adminB, '/v1/users', { subject: subjectA, role: 'agent' }, key);
    expect(bWithABody.statusCode).toBe(422);
    const replayB = await post(world().tokens.adminB, '/v1/users', { subject: subjectB, role: 'agent' }, key);
    expect(replayB.json()).toEqual(fromB.json());
    expect(JSON.stringify(replayB.json())).not.toContain(world().a.id);
    // The superadmin's keys are its own too.
    const company = await post(world().tokens.superadmin, '/v1/companies', { name: `Idem ${key.slice(-8)}` }, key);
    expect(company.statusCode).toBe(201);
    expect((await post(world().tokens.superadmin, '/v1/companies', { name: `Idem ${key.slice(-8)}` }, key)).json()).toEqual(company.json());
    // Row-level security: company A's transaction sees only A's key.
    const visible = await sql<{ n: number }>`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = ${key}`.execute(world().env.db);
    expect(visible.rows[0]!.n).toBe(0);
    const rows = await world().env.ownerDb.selectFrom('idempotency_keys').select(['company_id']).where('key', '=', key).execute();
    expect(rows.map((row) => row.company_id).sort()).toEqual([world().a.id, world().b.id, null].sort());
  });

  it('answers 409 to a repeat while the first request is still running, then the first answer', async () => {
    const key = `slow-${randomUUID()}`;
    const subject = `idem-${randomUUID()}`;
    const lock = await world()
      .env.ownerDb.connection()
      .execute(async (connection) => {
        await sql`BEGIN; LOCK TABLE users IN EXCLUSIVE MODE`.execute(connection);
        const first = post(world().tokens.adminA, '/v1/users', { subject, role: 'agent' }, key);
        await waitFor(async () => (await world().env.ownerDb.selectFrom('idempotency_keys').select('id').where('key', '=', key).execute()).length === 1, {
          what: 'the key claimed',
        });
        await sleep(50);
        const duplicate = await post(world().tokens.adminA, '/v1/users', { subject, role: 'agent' }, key);
        await sql`COMMIT`.execute(connection);
        return { first: await first, duplicate };
      });
    expect(lock.duplicate.statusCode).toBe(409);
    expect(lock.duplicate.json().code).toBe('idempotency_key_in_progress');
    expect(lock.duplicate.headers['retry-after']).toBe('1');
    expect(lock.first.statusCode).toBe(201);
    const later = await post(world().tokens.adminA, '/v1/users', { subject, role: 'agent' }, key);
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(later.json()).toEqual(lock.first.json());
    expect(await usersWithSubject(subject)).toBe(1);
  });

  it('acts once under a burst of concurrent duplicates', async () => {
    const key = `burst-${randomUUID()}`;
    const subject = `idem-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(world().tokens.adminA, '/v1/users', { subject, role: 'agent' }, key)));
    const created = answers.filter((answer) => answer.statusCode === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const answer of answers) {
      if (answer.statusCode === 201) expect(answer.json()).toEqual(created[0]!.json());
      else expect([answer.statusCode, answer.json().code]).toEqual([409, 'idempotency_key_in_progress']);
    }
    expect(await usersWithSubject(subject)).toBe(1);
  });
});
