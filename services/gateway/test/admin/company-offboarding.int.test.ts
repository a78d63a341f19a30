import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectProducer, type Producer } from '@callvault/queue';
import { openForFile, waitFor } from '@callvault/testing';
import { createAdminWorld } from './admin-test-kit';

const world = openForFile(createAdminWorld);

let producer: Producer | undefined;
afterAll(async () => {
  await producer?.close();
});

/** The company's offboarding job, wherever it is: still in the outbox, or relayed into its queue. */
async function offboardingQueued(companyId: string): Promise<boolean> {
  const jobId = `offboard-${companyId}`;
  const inOutbox = await world()
    .env.ownerDb.selectFrom('job_outbox')
    .select('id')
    .where('queue', '=', 'company-offboarding')
    .where('job_id', '=', jobId)
    .executeTakeFirst();
  producer ??= connectProducer(world().env.redis, world().env.config.QUEUE_PREFIX);
  return inOutbox !== undefined || (await producer.queue('company-offboarding').getJob(jobId)) !== undefined;
}

describe('DELETE /v1/companies/{id} (offboarding)', () => {
  it('refuses every company role with 403, its own company included, and queues nothing', async () => {
    for (const token of [world().tokens.adminA, world().tokens.managerA, world().tokens.agentA, world().tokens.adminB]) {
      const response = await world().call(token, 'DELETE', `/v1/companies/${world().a.id}`);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('forbidden');
    }
    expect(await offboardingQueued(world().a.id)).toBe(false);
  });

  it('answers 409 listing the recordings under legal hold, and queues nothing', async () => {
    const { env, b } = world();
    const call = await env.ownerDb
      .insertInto('calls')
      .values({ company_id: b.id, provider: 'twilio', twilio_call_sid: `CA${randomUUID().replace(/-/g, '')}`, status: 'completed', status_rank: 0 })
      .returningAll()
      .executeTakeFirstOrThrow();
    const held = await env.ownerDb
      .insertInto('recordings')
      .values({ company_id: b.id, call_id: call.id, provider: 'twilio', provider_recording_id: `RE${randomUUID()}`, status: 'pending', legal_hold: true })
      .returningAll()
      .executeTakeFirstOrThrow();
    const response = await world().call(world().tokens.superadmin, 'DELETE', `/v1/companies/${b.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'legal_hold', heldRecordingIds: [held.id] });
    expect(await offboardingQueued(b.id)).toBe(false);
  });

  it('answers 404 for an unknown company', async () => {
    const response = await world().call(world().tokens.superadmin, 'DELETE', `/v1/companies/${randomUUID()}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not_found');
  });

  it('queues the offboarding for a superadmin (202), records the request on the platform, and reports it in progress', async () => {
    const { a } = world();
    expect((await world().call(world().tokens.superadmin, 'GET', `/v1/companies/${a.id}/offboarding`)).statusCode).toBe(404);
    const response = await world().call(world().tokens.superadmin, 'DELETE', `/v1/companies/${a.id}`);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ companyId: a.id, status: 'in_progress', completedAt: null });
    await waitFor(() => offboardingQueued(a.id), { what: 'the offboarding job' });
    const record = await world().env.ownerDb.selectFrom('platform_audit_events').selectAll().where('target_id', '=', a.id).execute();
    expect(record).toEqual([
      expect.objectContaining({ action: 'company.offboard.requested', actor_role: 'superadmin', actor_subject: world().superadminSubject }),
    ]);
    const status = await world().call(world().tokens.superadmin, 'GET', `/v1/companies/${a.id}/offboarding`);
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ companyId: a.id, status: 'in_progress' });
    // A company admin may not see the platform's record, not even of its own company.
    expect((await world().call(world().tokens.adminA, 'GET', `/v1/companies/${a.id}/offboarding`)).statusCode).toBe(403);
  });
});
