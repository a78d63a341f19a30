import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, seedCompany, type TestEnvironment } from '@callvault/testing';
import type { JobContext } from '@callvault/queue';
import { processMaintenance } from '../src/maintenance.processor';
import { maintenanceSchedule } from '../src/schedules';

let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => env?.close());

describe('the expire-idempotency-keys maintenance task', () => {
  it('is scheduled, and deletes keys past their 24 h (every company and the platform), keeping the others', async () => {
    expect(maintenanceSchedule({ SYNC_INTERVAL_MINUTES: 0, FETCH_REDRIVE_AFTER_SECONDS: 60 }).map(([task]) => task)).toContain('expire-idempotency-keys');
    const a = await seedCompany(env);
    const b = await seedCompany(env);
    const row = (companyId: string | null, expiresAt: Date) => ({
      company_id: companyId,
      principal: `user:${randomUUID()}`,
      key: randomUUID(),
      request_hash: 'h',
      response_status: 201,
      response_content_type: 'application/json',
      response_body: '{}',
      expires_at: expiresAt,
    });
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3_600_000);
    const expired = [row(a.id, past), row(b.id, past), row(null, past)];
    const live = [row(a.id, future), row(null, future)];
    await env.ownerDb
      .insertInto('idempotency_keys')
      .values([...expired, ...live])
      .execute();

    const result = await processMaintenance(
      {
        config: { SYNC_INTERVAL_MINUTES: 0, FETCH_REDRIVE_AFTER_SECONDS: 60, WEBHOOK_PAYLOAD_RETENTION_DAYS: 30, WEBHOOK_EVENT_RETENTION_DAYS: 90 },
        db: env.db,
        jobsCommitted: () => {},
      },
      { task: 'expire-idempotency-keys' },
      { job: {} as JobContext['job'], log: env.log, signal: new AbortController().signal },
    );
    expect(result).toBe(3);
    const left = await env.ownerDb.selectFrom('idempotency_keys').select('key').execute();
    expect(left.map((entry) => entry.key).sort()).toEqual(live.map((entry) => entry.key).sort());
  });
});
