import { describe, expect, it } from 'vitest';
import { openForFile } from '@callvault/testing';
import type { Recording } from '@callvault/db';
import {
  audioBytes,
  auditTrail,
  createRecordingsWorld,
  randomUUID,
  seedCallWithRecording,
  seedMetrics,
  seedTranscript,
  storeAudio,
} from './recordings-test-kit';

const world = openForFile(createRecordingsWorld);

const rowOf = (id: string) => world().env.ownerDb.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const recordingOf = async (ownerUserId: string | null, companyId = world().a.id, seed = {}) =>
  (await seedCallWithRecording(world().env, companyId, ownerUserId, seed)).recording;

describe('PATCH /v1/recordings/{id}', () => {
  it('changes tags, category, priority, starred and archived for anyone in scope, audited with the changes', async () => {
    const recording = await recordingOf(world().users.agentA.id);
    const response = await world().call(world().tokens.agentA, 'PATCH', `/v1/recordings/${recording.id}`, {
      tags: ['follow-up', 'vip', 'vip'],
      category: 'sales',
      priority: 7,
      starred: true,
      archived: true,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: recording.id, tags: ['follow-up', 'vip'], category: 'sales', priority: 7, starred: true, archived: true });
    expect(await rowOf(recording.id)).toMatchObject({ tags: ['follow-up', 'vip'], category: 'sales', priority: 7, starred: true, archived: true });
    const [event] = await auditTrail(world().env, world().a.id, 'recording.update');
    expect(event).toMatchObject({
      actor_user_id: world().users.agentA.id,
      actor_role: 'agent',
      target_type: 'recording',
      target_id: recording.id,
      details: {
        changes: {
          tags: { from: [], to: ['follow-up', 'vip'] },
          category: { from: null, to: 'sales' },
          priority: { from: null, to: 7 },
          starred: { from: false, to: true },
          archived: { from: false, to: true },
        },
      },
    });

    // Nullable fields clear; a repeat that changes nothing is not an event.
    const cleared = await world().call(world().tokens.managerA, 'PATCH', `/v1/recordings/${recording.id}`, { category: null, priority: null });
    expect(cleared.json()).toMatchObject({ category: null, priority: null });
    await world().call(world().tokens.managerA, 'PATCH', `/v1/recordings/${recording.id}`, { category: null, starred: true });
    expect(await auditTrail(world().env, world().a.id, 'recording.update')).toHaveLength(2);
  });

  it('refuses other fields and values out of range (400), and anything outside the scope (404)', async () => {
    const recording = await recordingOf(world().users.agentA.id);
    const bad = [
      {},
      { status: 'deleted' },
      { legalHold: true },
      { ownerUserId: world().users.agentA2.id },
      { starred: true, companyId: world().b.id },
      { tags: Array.from({ length: 21 }, (_, index) => `t${index}`) },
      { tags: ['x'.repeat(51)] },
      { tags: [''] },
      { tags: 'vip' },
      { category: 'c'.repeat(101) },
      { priority: 11 },
      { priority: -1 },
      { priority: 2.5 },
      { starred: 'yes' },
    ];
    for (const body of bad) {
      const response = await world().call(world().tokens.adminA, 'PATCH', `/v1/recordings/${recording.id}`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().status).toBe(400);
    }
    expect(
      (
        await world().call(world().tokens.adminA, 'PATCH', `/v1/recordings/${recording.id}`, {
          tags: Array.from({ length: 20 }, (_, index) => `t${index}`),
          priority: 10,
        })
      ).statusCode,
    ).toBe(200);
    for (const token of [world().tokens.agentA2, world().tokens.managerA2, world().tokens.adminB]) {
      expect((await world().call(token, 'PATCH', `/v1/recordings/${recording.id}`, { starred: true })).statusCode).toBe(404);
    }
    expect((await rowOf(recording.id)).starred).toBe(false);
  });
});

describe('PUT /v1/recordings/{id}/legal-hold', () => {
  it('is for a company_admin or a superadmin (403 for others in scope, 404 outside), audited', async () => {
    const recording = await recordingOf(world().users.agentA.id);
    expect((await world().call(world().tokens.agentA, 'PUT', `/v1/recordings/${recording.id}/legal-hold`, { legalHold: true })).statusCode).toBe(403);
    expect((await world().call(world().tokens.managerA, 'PUT', `/v1/recordings/${recording.id}/legal-hold`, { legalHold: true })).statusCode).toBe(403);
    expect((await world().call(world().tokens.agentA2, 'PUT', `/v1/recordings/${recording.id}/legal-hold`, { legalHold: true })).statusCode).toBe(404);
    expect((await world().call(world().tokens.adminB, 'PUT', `/v1/recordings/${recording.id}/legal-hold`, { legalHold: true })).statusCode).toBe(404);
    expect((await world().call(world().tokens.adminA, 'PUT', `/v1/recordings/${recording.id}/legal-hold`, { legalHold: true, reason: 'x' })).statusCode).toBe(
      400,
    );
    expect((await world().call(world().tokens.adminA, 'PUT', `/v1/recordings/${recording.id}/legal-hold`, {})).statusCode).toBe(400);

    const placed = await world().call(world().tokens.adminA, 'PUT', `/v1/recordings/${recording.id}/legal-hold`, { legalHold: true });
    expect(placed.statusCode).toBe(200);
    expect(placed.json().legalHold).toBe(true);
    const lifted = await world().call(world().tokens.superadmin, 'PUT', `/v1/recordings/${recording.id}/legal-hold`, { legalHold: false });
    expect(lifted.json().legalHold).toBe(false);
    const trail = (await auditTrail(world().env, world().a.id)).filter((event) => event.action.startsWith('recording.legal_hold'));
    expect(trail.map((event) => [event.action, event.actor_role])).toEqual([
      ['recording.legal_hold.place', 'company_admin'],
      ['recording.legal_hold.lift', 'superadmin'],
    ]);
  });
});

describe('DELETE /v1/recordings/{id}', () => {
  async function storedWithEverything(ownerUserId: string, seed = {}): Promise<Recording> {
    const recording = await storeAudio(world().env, await recordingOf(ownerUserId, world().a.id, seed), audioBytes(2048));
    await seedTranscript(world().env, recording);
    await seedMetrics(world().env, recording);
    return recording;
  }

  it('removes audio, transcript and analytics, keeps a tombstone, and hides it everywhere', async () => {
    const recording = await storedWithEverything(world().users.agentA.id);
    expect(await world().env.storage.headObject(recording.storage_key!)).toBeDefined();

    const response = await world().call(world().tokens.managerA, 'DELETE', `/v1/recordings/${recording.id}`);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');

    await world().objectRemoved(recording);
    const tombstone = await rowOf(recording.id);
    expect(tombstone).toMatchObject({
      status: 'deleted',
      storage_key: null,
      sha256: recording.sha256,
      size_bytes: recording.size_bytes,
      has_transcript: false,
    });
    expect(tombstone.deleted_at).toBeInstanceOf(Date);
    expect(await world().env.ownerDb.selectFrom('transcripts').select('id').where('recording_id', '=', recording.id).execute()).toEqual([]);
    expect(await world().env.ownerDb.selectFrom('call_metrics').select('id').where('recording_id', '=', recording.id).execute()).toEqual([]);

    for (const path of ['', '/playback', '/transcript']) {
      expect((await world().call(world().tokens.adminA, 'GET', `/v1/recordings/${recording.id}${path}`)).statusCode, path).toBe(404);
    }
    const list = await world().call(world().tokens.adminA, 'GET', '/v1/recordings?limit=100');
    expect(list.json().items.map((item: { id: string }) => item.id)).not.toContain(recording.id);
    const call = await world().call(world().tokens.adminA, 'GET', `/v1/calls/${recording.call_id}`);
    expect(call.json().recordings).toEqual([]);
    expect((await world().call(world().tokens.managerA, 'DELETE', `/v1/recordings/${recording.id}`)).statusCode).toBe(404);

    const [event] = await auditTrail(world().env, world().a.id, 'recording.delete');
    expect(event).toMatchObject({
      actor_user_id: world().users.managerA.id,
      actor_role: 'manager',
      target_id: recording.id,
      details: { reason: 'request', sha256: recording.sha256, sizeBytes: 2048 },
    });
  });

  it('is refused to an agent (403), outside the scope (404) and under legal hold (409)', async () => {
    const own = await storedWithEverything(world().users.agentA.id);
    expect((await world().call(world().tokens.agentA, 'DELETE', `/v1/recordings/${own.id}`)).statusCode).toBe(403);
    expect((await world().call(world().tokens.agentA2, 'DELETE', `/v1/recordings/${own.id}`)).statusCode).toBe(404);
    expect((await world().call(world().tokens.managerA2, 'DELETE', `/v1/recordings/${own.id}`)).statusCode).toBe(404);
    expect((await world().call(world().tokens.adminB, 'DELETE', `/v1/recordings/${own.id}`)).statusCode).toBe(404);
    expect((await world().call(world().tokens.adminA, 'DELETE', `/v1/recordings/${randomUUID()}`)).statusCode).toBe(404);

    const held = await storedWithEverything(world().users.agentA.id, { legalHold: true });
    const refused = await world().call(world().tokens.adminA, 'DELETE', `/v1/recordings/${held.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ status: 409, code: 'legal_hold', detail: 'recording is under legal hold' });
    expect(await rowOf(held.id)).toMatchObject({ status: 'stored', storage_key: held.storage_key, has_transcript: true });
    expect(await world().env.storage.headObject(held.storage_key!)).toBeDefined();
    expect((await rowOf(own.id)).status).toBe('stored');
  });

  it("lets a superadmin delete any company's recording, audited in that company", async () => {
    const inB = await storeAudio(world().env, await recordingOf(world().users.agentB.id, world().b.id), audioBytes(100));
    expect((await world().call(world().tokens.superadmin, 'DELETE', `/v1/recordings/${inB.id}`)).statusCode).toBe(204);
    expect((await auditTrail(world().env, world().b.id, 'recording.delete')).at(-1)).toMatchObject({ target_id: inB.id, actor_role: 'superadmin' });
  });
});

describe('POST /v1/recordings/bulk/{action}', () => {
  it('stars, unstars, archives and unarchives per id; ids outside the scope report not_found and change nothing', async () => {
    const own = await recordingOf(world().users.agentA.id);
    const colleague = await recordingOf(world().users.agentA2.id);
    const otherCompany = await recordingOf(world().users.agentB.id, world().b.id);
    const missing = randomUUID();
    const star = await world().call(world().tokens.agentA, 'POST', '/v1/recordings/bulk/star', {
      ids: [own.id, colleague.id, otherCompany.id, missing, own.id],
    });
    expect(star.statusCode).toBe(200);
    expect(star.json()).toEqual({
      results: [
        { id: own.id, status: 'ok' },
        { id: colleague.id, status: 'not_found' },
        { id: otherCompany.id, status: 'not_found' },
        { id: missing, status: 'not_found' },
      ],
    });
    expect((await rowOf(own.id)).starred).toBe(true);
    expect((await rowOf(colleague.id)).starred).toBe(false);
    expect((await rowOf(otherCompany.id)).starred).toBe(false);
    expect((await auditTrail(world().env, world().b.id, 'recording.update')).length).toBe(0);

    await world().call(world().tokens.managerA, 'POST', '/v1/recordings/bulk/archive', { ids: [own.id] });
    expect(await rowOf(own.id)).toMatchObject({ starred: true, archived: true });
    await world().call(world().tokens.managerA, 'POST', '/v1/recordings/bulk/unstar', { ids: [own.id] });
    await world().call(world().tokens.managerA, 'POST', '/v1/recordings/bulk/unarchive', { ids: [own.id] });
    expect(await rowOf(own.id)).toMatchObject({ starred: false, archived: false });
    const events = (await auditTrail(world().env, world().a.id, 'recording.update')).filter((event) => event.target_id === own.id);
    expect(events.map((event) => event.details)).toEqual([
      { changes: { starred: { from: false, to: true } }, bulk: true },
      { changes: { archived: { from: false, to: true } }, bulk: true },
      { changes: { starred: { from: true, to: false } }, bulk: true },
      { changes: { archived: { from: true, to: false } }, bulk: true },
    ]);
  });

  it('deletes per id by the rules of DELETE: forbidden for agents, legal_hold kept, not_found outside', async () => {
    const own = await storeAudio(world().env, await recordingOf(world().users.agentA.id), audioBytes(64));
    const held = await recordingOf(world().users.agentA.id, world().a.id, { legalHold: true });
    const colleague = await recordingOf(world().users.agentA2.id);

    const byAgent = await world().call(world().tokens.agentA, 'POST', '/v1/recordings/bulk/delete', { ids: [own.id, colleague.id] });
    expect(byAgent.json().results).toEqual([
      { id: own.id, status: 'forbidden' },
      { id: colleague.id, status: 'not_found' },
    ]);
    expect((await rowOf(own.id)).status).toBe('stored');

    const byManager = await world().call(world().tokens.managerA, 'POST', '/v1/recordings/bulk/delete', { ids: [own.id, held.id, colleague.id] });
    expect(byManager.json().results).toEqual([
      { id: own.id, status: 'ok' },
      { id: held.id, status: 'legal_hold' },
      { id: colleague.id, status: 'not_found' },
    ]);
    await world().objectRemoved(own);
    expect(await rowOf(own.id)).toMatchObject({ status: 'deleted', storage_key: null });
    expect((await rowOf(held.id)).status).toBe('stored');
    expect((await rowOf(colleague.id)).status).toBe('stored');
    expect((await auditTrail(world().env, world().a.id, 'recording.delete')).at(-1)).toMatchObject({ target_id: own.id, details: { bulk: true } });
  });

  it('answers 400 to an empty, oversized or malformed id list and to unknown actions or fields', async () => {
    const id = randomUUID();
    const cases: Array<[string, unknown]> = [
      ['star', { ids: [] }],
      ['star', { ids: Array.from({ length: 101 }, () => randomUUID()) }],
      ['star', { ids: ['not-a-uuid'] }],
      ['star', {}],
      ['star', { ids: [id], starred: true }],
      ['purge', { ids: [id] }],
    ];
    for (const [action, body] of cases) {
      expect(
        (await world().call(world().tokens.adminA, 'POST', `/v1/recordings/bulk/${action}`, body)).statusCode,
        `${action} ${JSON.stringify(body).slice(0, 40)}`,
      ).toBe(400);
    }
    const hundred = await world().call(world().tokens.adminA, 'POST', '/v1/recordings/bulk/star', { ids: Array.from({ length: 100 }, () => randomUUID()) });
    expect(hundred.json().results).toHaveLength(100);
  });
});
