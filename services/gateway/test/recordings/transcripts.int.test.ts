import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recording } from '@callvault/db';
import { connectProducer, type Producer } from '@callvault/queue';
import { waitFor } from '@callvault/testing';
import { auditTrail, createRecordingsWorld, randomUUID, seedCallWithRecording, seedTranscript, type RecordingsWorld } from './recordings-test-kit';

let world: RecordingsWorld;
let queues: Producer;
let transcribed: Recording;
let untranscribed: Recording;

beforeAll(async () => {
  world = await createRecordingsWorld();
  queues = connectProducer(world.env.redis, world.env.config.QUEUE_PREFIX);
  transcribed = (await seedCallWithRecording(world.env, world.a.id, world.users.agentA.id)).recording;
  untranscribed = (await seedCallWithRecording(world.env, world.a.id, world.users.agentA.id)).recording;
  await seedTranscript(world.env, transcribed, 'hello there. general kenobi.');
});

afterAll(async () => {
  await queues?.close();
  await world?.close();
});

describe('GET /v1/recordings/{id}/transcript', () => {
  it('returns the transcript with its segments to anyone in scope, each read audited', async () => {
    const response = await world.call(world.tokens.agentA, 'GET', `/v1/recordings/${transcribed.id}/transcript`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      recordingId: transcribed.id,
      status: 'completed',
      source: 'twilio',
      language: 'en',
      text: 'hello there. general kenobi.',
      segments: [
        { speaker: 'agent', startSeconds: 0, endSeconds: 1.5, text: 'hello there.' },
        { speaker: 'customer', startSeconds: 1.5, endSeconds: 3, text: 'general kenobi.' },
      ],
      redactionCount: 2,
      updatedAt: expect.any(String),
    });
    expect((await auditTrail(world.env, world.a.id, 'transcript.read')).at(-1)).toMatchObject({
      target_id: transcribed.id,
      actor_user_id: world.users.agentA.id,
    });
  });

  it('answers 404 without a transcript, outside the scope, or for an unknown recording', async () => {
    const none = await world.call(world.tokens.agentA, 'GET', `/v1/recordings/${untranscribed.id}/transcript`);
    expect(none.statusCode).toBe(404);
    expect(none.json().detail).toBe('transcript not found');
    for (const token of [world.tokens.agentA2, world.tokens.managerA2, world.tokens.adminB]) {
      const response = await world.call(token, 'GET', `/v1/recordings/${transcribed.id}/transcript`);
      expect(response.statusCode).toBe(404);
      expect(response.json().detail).toBe('recording not found');
    }
    expect((await world.call(world.tokens.adminA, 'GET', `/v1/recordings/${randomUUID()}/transcript`)).statusCode).toBe(404);
  });
});

describe('POST /v1/recordings/{id}/transcript and /analyze', () => {
  for (const [path, queue, action] of [
    ['transcript', 'transcription', 'recording.transcribe'],
    ['analyze', 'analytics', 'recording.analyze'],
  ] as const) {
    it(`${path}: manager+ enqueues a ${queue} re-run (202 with the job id), audited; agents 403, others 404`, async () => {
      expect((await world.call(world.tokens.agentA, 'POST', `/v1/recordings/${transcribed.id}/${path}`)).statusCode).toBe(403);
      expect((await world.call(world.tokens.managerA2, 'POST', `/v1/recordings/${transcribed.id}/${path}`)).statusCode).toBe(404);
      expect((await world.call(world.tokens.adminB, 'POST', `/v1/recordings/${transcribed.id}/${path}`)).statusCode).toBe(404);

      const response = await world.call(world.tokens.managerA, 'POST', `/v1/recordings/${transcribed.id}/${path}`);
      expect(response.statusCode).toBe(202);
      const { jobId, status } = response.json();
      expect(status).toBe('queued');
      // The job commits with the audit event and reaches Redis through the gateway's outbox relay.
      const job = await waitFor(() => queues.queue(queue).getJob(jobId), { what: `the ${queue} job` });
      expect(job?.data).toEqual({ companyId: world.a.id, recordingId: transcribed.id, requestedAt: expect.any(String) });
      expect((await auditTrail(world.env, world.a.id, action)).at(-1)).toMatchObject({ target_id: transcribed.id, actor_role: 'manager', details: { jobId } });

      const bySuperadmin = await world.call(world.tokens.superadmin, 'POST', `/v1/recordings/${transcribed.id}/${path}`);
      expect(bySuperadmin.statusCode).toBe(202);
    });
  }
});

describe('GET /v1/search as a superadmin', () => {
  it('leaves a transcript.search in the trail of each company the results showed, or of the one named', async () => {
    const word = `w${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const inB = (await seedCallWithRecording(world.env, world.b.id, world.users.agentB.id)).recording;
    await seedTranscript(world.env, inB, `the ${word} is here.`);
    const before = {
      a: (await auditTrail(world.env, world.a.id, 'transcript.search')).length,
      b: (await auditTrail(world.env, world.b.id, 'transcript.search')).length,
    };

    const platformWide = await world.call(world.tokens.superadmin, 'GET', `/v1/search?q=${word}`);
    expect(platformWide.statusCode).toBe(200);
    expect(platformWide.json().items.map((hit: { recordingId: string }) => hit.recordingId)).toEqual([inB.id]);
    expect(platformWide.json().items[0]).not.toHaveProperty('companyId');
    const trailB = await auditTrail(world.env, world.b.id, 'transcript.search');
    expect(trailB).toHaveLength(before.b + 1);
    expect(trailB.at(-1)).toMatchObject({
      actor_role: 'superadmin',
      actor_subject: world.superadminSubject,
      target_id: world.b.id,
      details: { hits: 1, recordingIds: [inB.id] },
    });
    expect(await auditTrail(world.env, world.a.id, 'transcript.search')).toHaveLength(before.a);

    const named = await world.call(world.tokens.superadmin, 'GET', `/v1/search?q=${word}&companyId=${world.a.id}`);
    expect(named.json().items).toEqual([]);
    expect(await auditTrail(world.env, world.a.id, 'transcript.search')).toHaveLength(before.a + 1);
  });
});

describe('GET /v1/search as a company user', () => {
  it("audits every search in the user's company with the recordings it showed", async () => {
    const word = `w${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const mine = (await seedCallWithRecording(world.env, world.a.id, world.users.agentA.id)).recording;
    await seedTranscript(world.env, mine, `about ${word} today.`);
    const response = await world.call(world.tokens.agentA, 'GET', `/v1/search?q=${word}`);
    expect(response.json().items.map((hit: { recordingId: string }) => hit.recordingId)).toEqual([mine.id]);
    expect((await auditTrail(world.env, world.a.id, 'transcript.search')).at(-1)).toMatchObject({
      actor_user_id: world.users.agentA.id,
      actor_role: 'agent',
      details: { hits: 1, recordingIds: [mine.id] },
    });
    const empty = await world.call(world.tokens.agentA, 'GET', `/v1/search?q=nothing${word}`);
    expect(empty.json().items).toEqual([]);
    const last = (await auditTrail(world.env, world.a.id, 'transcript.search')).at(-1)!;
    expect(last).toMatchObject({ details: { hits: 0, recordingIds: [] } });
    expect(JSON.stringify(last)).not.toContain(word);
  });
});
