import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recording } from '@callvault/db';
import { removeRecordingObject, runRetentionSweep } from '@callvault/erasure';
import type { Storage } from '@callvault/storage';
import { seedCompany, seedUser } from '@callvault/testing';
import { audioBytes, auditTrail, createRecordingsWorld, randomUUID, seedCallWithRecording, storeAudio, type RecordingsWorld } from './recordings-test-kit';

let world: RecordingsWorld;

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

beforeAll(async () => {
  world = await createRecordingsWorld();
});

afterAll(async () => {
  await world?.close();
});

const rowOf = (id: string) => world.env.ownerDb.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const seed = async (companyId: string, ownerUserId: string | null, options: Parameters<typeof seedCallWithRecording>[3]) =>
  (await seedCallWithRecording(world.env, companyId, ownerUserId, options)).recording;

describe('POST /v1/recordings/cleanup', () => {
  let old: Recording;
  let oldWithoutStart: Recording;
  let oldUnowned: Recording;
  let held: Recording;
  let recent: Recording;
  let oldInB: Recording;

  beforeAll(async () => {
    const { a, b, users } = world;
    old = await storeAudio(world.env, await seed(a.id, users.agentA.id, { startedAt: daysAgo(400) }), audioBytes(500));
    oldWithoutStart = await seed(a.id, users.agentA2.id, { startedAt: null, createdAt: daysAgo(100) });
    oldUnowned = await seed(a.id, null, { startedAt: daysAgo(91), status: 'failed' });
    held = await seed(a.id, users.agentA.id, { startedAt: daysAgo(365), legalHold: true });
    recent = await seed(a.id, users.agentA.id, { startedAt: daysAgo(10) });
    oldInB = await seed(b.id, users.agentB.id, { startedAt: daysAgo(400) });
  });

  it('is for a company_admin (403 for managers and agents) or a superadmin naming an existing company', async () => {
    const body = { olderThanDays: 90, dryRun: true };
    expect((await world.call(world.tokens.agentA, 'POST', '/v1/recordings/cleanup', body)).statusCode).toBe(403);
    expect((await world.call(world.tokens.managerA, 'POST', '/v1/recordings/cleanup', body)).statusCode).toBe(403);
    expect((await world.call(world.tokens.adminA, 'POST', '/v1/recordings/cleanup', { ...body, companyId: world.b.id })).statusCode).toBe(404);
    const unnamed = await world.call(world.tokens.superadmin, 'POST', '/v1/recordings/cleanup', body);
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().code).toBe('company_required');
    expect((await world.call(world.tokens.superadmin, 'POST', '/v1/recordings/cleanup', { ...body, companyId: randomUUID() })).statusCode).toBe(404);
    for (const bad of [{ olderThanDays: 0 }, { olderThanDays: 1.5 }, { olderThanDays: '90' }, { dryRun: true }, { olderThanDays: 90, before: 'now' }]) {
      expect((await world.call(world.tokens.adminA, 'POST', '/v1/recordings/cleanup', bad)).statusCode, JSON.stringify(bad)).toBe(400);
    }
  });

  it('counts without deleting on a dry run', async () => {
    const response = await world.call(world.tokens.adminA, 'POST', '/v1/recordings/cleanup', { olderThanDays: 90, dryRun: true });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ matched: 4, deleted: 0, skippedLegalHold: 1, dryRun: true });
    for (const recording of [old, oldWithoutStart, oldUnowned, held, recent]) expect((await rowOf(recording.id)).status).toBe(recording.status);
    expect(await auditTrail(world.env, world.a.id, 'recording.delete')).toEqual([]);
    expect((await auditTrail(world.env, world.a.id, 'recordings.cleanup')).at(-1)?.details).toMatchObject({ olderThanDays: 90, dryRun: true, matched: 4 });
  });

  it("deletes the company's old recordings but legal holds, each deletion audited", async () => {
    const response = await world.call(world.tokens.adminA, 'POST', '/v1/recordings/cleanup', { olderThanDays: 90, dryRun: false });
    expect(response.json()).toEqual({ matched: 4, deleted: 3, skippedLegalHold: 1, dryRun: false });
    await world.objectRemoved(old);
    for (const recording of [old, oldWithoutStart, oldUnowned]) expect(await rowOf(recording.id)).toMatchObject({ status: 'deleted' });
    expect((await rowOf(held.id)).status).toBe('stored');
    expect((await rowOf(recent.id)).status).toBe('stored');
    expect((await rowOf(oldInB.id)).status).toBe('stored');
    const deletions = await auditTrail(world.env, world.a.id, 'recording.delete');
    expect(deletions.map((event) => event.target_id).sort()).toEqual([old.id, oldWithoutStart.id, oldUnowned.id].sort());
    expect(deletions[0]).toMatchObject({
      actor_user_id: world.users.adminA.id,
      actor_role: 'company_admin',
      details: { reason: 'cleanup', olderThanDays: 90 },
    });
    // A second run finds nothing left to do.
    expect((await world.call(world.tokens.adminA, 'POST', '/v1/recordings/cleanup', { olderThanDays: 90 })).json()).toEqual({
      matched: 1,
      deleted: 0,
      skippedLegalHold: 1,
      dryRun: false,
    });
  });

  it('lets a superadmin clean up the company it names', async () => {
    const response = await world.call(world.tokens.superadmin, 'POST', '/v1/recordings/cleanup', { olderThanDays: 365, dryRun: false, companyId: world.b.id });
    expect(response.json()).toEqual({ matched: 1, deleted: 1, skippedLegalHold: 0, dryRun: false });
    expect((await rowOf(oldInB.id)).status).toBe('deleted');
    expect((await auditTrail(world.env, world.b.id, 'recording.delete'))[0]).toMatchObject({ target_id: oldInB.id, actor_role: 'superadmin' });
  });
});

describe('runRetentionSweep', () => {
  it("applies each company's retention_days with the deletion rules, audited as the system", async () => {
    const { env } = world;
    const kept = await seedCompany(env, 'Keeps everything');
    const brief = await seedCompany(env, 'Thirty days');
    await env.ownerDb.updateTable('companies').set({ retention_days: 30 }).where('id', '=', brief.id).execute();
    const agent = await seedUser(env, brief.id, 'agent');
    const expired = await storeAudio(env, await seed(brief.id, agent.id, { startedAt: daysAgo(31) }), audioBytes(300));
    const held = await seed(brief.id, agent.id, { startedAt: daysAgo(200), legalHold: true });
    const young = await seed(brief.id, agent.id, { startedAt: daysAgo(29) });
    const ancientElsewhere = await seed(kept.id, null, { startedAt: daysAgo(3000) });

    const result = await runRetentionSweep({ db: env.db, log: env.log });
    expect(result).toMatchObject({ companies: 1, deleted: 1, skippedLegalHold: 1, failedCompanies: [] });
    await world.objectRemoved(expired);
    expect(await rowOf(expired.id)).toMatchObject({ status: 'deleted', storage_key: null, sha256: expired.sha256 });
    for (const untouched of [held, young, ancientElsewhere]) expect((await rowOf(untouched.id)).status).toBe('stored');
    expect(await auditTrail(env, brief.id, 'recording.delete')).toEqual([
      expect.objectContaining({
        target_id: expired.id,
        actor_user_id: null,
        actor_subject: 'system:retention-sweep',
        actor_role: 'system',
        details: expect.objectContaining({ reason: 'retention', retentionDays: 30 }),
      }),
    ]);
    // Idempotent: nothing more to do.
    expect(await runRetentionSweep({ db: env.db, log: env.log })).toMatchObject({ deleted: 0 });
  });

  it('keeps the key on its tombstone while storage refuses the removal, and queues it again once the job has given up', async () => {
    const { env } = world;
    const recording = await storeAudio(env, await seed(world.a.id, world.users.agentA.id, { startedAt: daysAgo(1) }), audioBytes(256));
    const failingStorage: Pick<Storage, 'eraseObject'> = { eraseObject: async () => Promise.reject(new Error('storage unavailable')) };
    // As the removal job meets a storage outage: it throws (BullMQ retries it) and the tombstone keeps its key.
    await env.ownerDb.updateTable('recordings').set({ status: 'deleted', deleted_at: new Date() }).where('id', '=', recording.id).execute();
    await expect(removeRecordingObject({ db: env.db, storage: failingStorage }, { companyId: world.a.id, recordingId: recording.id })).rejects.toThrow(
      'storage unavailable',
    );
    expect(await rowOf(recording.id)).toMatchObject({ status: 'deleted', storage_key: recording.storage_key });
    expect(await env.storage.headObject(recording.storage_key!)).toBeDefined();
    expect((await world.call(world.tokens.adminA, 'GET', `/v1/recordings/${recording.id}`)).statusCode).toBe(404);

    // Too fresh for the sweep (its job may still be retrying); later it is queued again and removed.
    expect((await runRetentionSweep({ db: env.db, log: env.log })).objectsRequeued).toBe(0);
    expect((await runRetentionSweep({ db: env.db, log: env.log }, new Date(Date.now() + 10 * 60_000))).objectsRequeued).toBe(1);
    await world.objectRemoved(recording);
  });
});
