import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Call, Recording } from '@callvault/db';
import { openForFile, scanBucketFor, type TestEnvironment } from '@callvault/testing';
import {
  audioBytes,
  createRecordingsWorld,
  seedCallWithRecording,
  seedMetrics,
  seedProviderEvent,
  seedTranscript,
  storeAudio,
} from '../recordings/recordings-test-kit';
import { documentContains, scanCompanyFor } from './database-scan';

const world = openForFile(createRecordingsWorld);

/** The data subject: a caller both companies have spoken to. */
const SUBJECT = '+13125550777';
const OTHER_CALLER = '+13125550555';
const A_WORDS = 'zebrafinch mortgage arrears';
const B_WORDS = 'quokka insurance claim';
/** Scan hits on the subject's number, not on the longer number that begins with it. */
const aboutSubject = <T extends { value: unknown }>(hits: T[]) => hits.filter((hit) => !JSON.stringify(hit.value).includes(`${SUBJECT}9`));
const url = (e164: string, query = '') => `/v1/data-subjects/${encodeURIComponent(e164)}${query}`;

async function seedProviderTranscript(env: TestEnvironment, recording: Recording, words: string) {
  await env.ownerDb
    .insertInto('provider_transcripts')
    .values({ company_id: recording.company_id, provider: 'twilio', provider_recording_id: recording.provider_recording_id, text: words })
    .execute();
}

let a1: { call: Call; recording: Recording };
let a2: { call: Call; recording: Recording };
let aOther: { call: Call; recording: Recording };
let b1: { call: Call; recording: Recording };

beforeAll(async () => {
  const { env, a, b, users } = world();
  // A: the subject called in (stored audio, transcript, summary, payload, metrics) and was called back.
  a1 = await seedCallWithRecording(env, a.id, users.agentA.id, { from: SUBJECT, to: '+13125550100' });
  a1.recording = await storeAudio(env, a1.recording, audioBytes(2048));
  await seedTranscript(env, a1.recording, `hello, ${A_WORDS}`);
  await seedMetrics(env, a1.recording);
  await seedProviderEvent(env, a1.call, A_WORDS);
  await seedProviderTranscript(env, a1.recording, A_WORDS);
  await env.ownerDb
    .updateTable('calls')
    .set({ summary: `Caller asked about ${A_WORDS}.` })
    .where('id', '=', a1.call.id)
    .execute();
  a2 = await seedCallWithRecording(env, a.id, users.agentA.id, { from: '+13125550100', to: SUBJECT, direction: 'outbound', status: 'failed' });
  // A call of A with someone else: never part of the subject's data.
  aOther = await seedCallWithRecording(env, a.id, users.agentA.id, { from: OTHER_CALLER, to: '+13125550100' });
  aOther.recording = await storeAudio(env, aOther.recording, audioBytes(512));
  await seedTranscript(env, aOther.recording, 'an unrelated caller');
  // A longer number that begins with the subject's: another person, whom the erasure must leave alone.
  await seedProviderEvent(env, { ...aOther.call, from_number: `${SUBJECT}9` }, 'an unrelated caller');
  // B holds the same number: none of it may reach A, nor A's erasure touch it.
  b1 = await seedCallWithRecording(env, b.id, users.agentB.id, { from: SUBJECT, to: '+13125550200' });
  b1.recording = await storeAudio(env, b1.recording, audioBytes(1024));
  await seedTranscript(env, b1.recording, `hello, ${B_WORDS}`);
  await seedProviderEvent(env, b1.call, B_WORDS);
  await env.ownerDb
    .updateTable('calls')
    .set({ summary: `Caller filed a ${B_WORDS}.` })
    .where('id', '=', b1.call.id)
    .execute();
  // An access the export must report: the agent played the recording.
  expect((await world().call(world().tokens.agentA, 'GET', `/v1/recordings/${a1.recording.id}/playback`)).statusCode).toBe(200);
});

async function exportOf(token: string, query = '') {
  const response = await world().call(token, 'GET', url(SUBJECT, query));
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return { body: response.body, document: response.json() };
}

describe('GET /v1/data-subjects/{e164}', () => {
  it("gives a company admin the subject's calls with recordings, download links, transcripts, summaries, payloads and accesses", async () => {
    const { document } = await exportOf(world().tokens.adminA);
    expect(document).toMatchObject({ subject: SUBJECT, companyId: world().a.id, complete: true });
    expect(document.calls.map((call: { id: string }) => call.id).sort()).toEqual([a1.call.id, a2.call.id].sort());
    const first = document.calls.find((call: { id: string }) => call.id === a1.call.id);
    expect(first.summary).toContain(A_WORDS);
    expect(first.recordings).toHaveLength(1);
    const [recording] = first.recordings;
    expect(recording.download.url).toMatch(/^https?:\/\//);
    expect(Date.parse(recording.download.expiresAt)).toBeGreaterThan(Date.now());
    expect(recording.transcript.text).toContain(A_WORDS);
    expect(recording.providerTranscripts[0].text).toBe(A_WORDS);
    expect(recording.analytics).toMatchObject({ talkRatio: 0.6 });
    expect(first.providerEvents[0].payload).toMatchObject({ From: SUBJECT, TranscriptionText: A_WORDS });
    expect(first.accessLog).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'recording.play', targetId: a1.recording.id, actorRole: 'agent' })]),
    );
    const second = document.calls.find((call: { id: string }) => call.id === a2.call.id);
    expect(second.recordings[0].download).toBeNull(); // nothing stored, nothing to link
  });

  it("answers the same number for company A with A's data only, and for B with B's only", async () => {
    const { body: bodyA } = await exportOf(world().tokens.adminA);
    for (const foreign of [b1.call.id, b1.recording.id, B_WORDS, world().b.id, aOther.call.id, OTHER_CALLER]) expect(bodyA).not.toContain(foreign);
    const { document: documentB, body: bodyB } = await exportOf(world().tokens.adminB);
    expect(documentB.calls.map((call: { id: string }) => call.id)).toEqual([b1.call.id]);
    for (const foreign of [a1.call.id, a2.call.id, a1.recording.id, A_WORDS, world().a.id]) expect(bodyB).not.toContain(foreign);
  });

  it('contains everything a forensic scan of the database finds about the subject in the company', async () => {
    const { document } = await exportOf(world().tokens.adminA);
    const hits = aboutSubject(await scanCompanyFor(world().env.ownerDb, world().a.id, [SUBJECT, A_WORDS]));
    expect(new Set(hits.map((hit) => hit.table))).toEqual(new Set(['calls', 'recordings', 'transcripts', 'webhook_events', 'provider_transcripts']));
    for (const hit of hits) {
      // A transcript's segments hold the words only inside its text; every other value appears as stored.
      expect(documentContains(document, hit.value), `${hit.table}.${hit.column} is missing from the export`).toBe(true);
    }
  });

  it('is audited in the company without the number itself', async () => {
    await exportOf(world().tokens.adminA);
    const trail = await world()
      .env.ownerDb.selectFrom('audit_events')
      .selectAll()
      .where('company_id', '=', world().a.id)
      .where('action', '=', 'data_subject.export')
      .execute();
    expect(trail.length).toBeGreaterThan(0);
    expect(trail.at(-1)).toMatchObject({ actor_user_id: world().users.adminA.id, target_type: 'data_subject', details: { calls: 2 } });
    expect(JSON.stringify(trail)).not.toContain(SUBJECT.slice(1));
  });

  it('lets a superadmin export for the company it names, and answers 400 when it names none', async () => {
    const { document } = await exportOf(world().tokens.superadmin, `?companyId=${world().a.id}`);
    expect(document.calls).toHaveLength(2);
    const none = await world().call(world().tokens.superadmin, 'GET', url(SUBJECT));
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe('company_required');
    expect((await world().call(world().tokens.superadmin, 'GET', url(SUBJECT, `?companyId=${randomUUID()}`))).statusCode).toBe(404);
  });

  it('refuses agents and managers (403) and a company admin naming another company (404)', async () => {
    for (const token of [world().tokens.agentA, world().tokens.managerA, world().tokens.agentB]) {
      const response = await world().call(token, 'GET', url(SUBJECT));
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('forbidden');
    }
    const crossed = await world().call(world().tokens.adminA, 'GET', url(SUBJECT, `?companyId=${world().b.id}`));
    expect(crossed.statusCode).toBe(404);
    expect(crossed.json().code).toBe('not_found');
  });

  it('answers 400 to anything but an E.164 number', async () => {
    for (const bad of ['13125550777', '+0123456789', '+12345', 'tel:+13125550777', '+1312555077712345', "+1' OR 1=1"]) {
      const response = await world().call(world().tokens.adminA, 'GET', url(bad));
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().code).toBe('validation_failed');
    }
  });

  it('answers an unknown number with an empty, complete export', async () => {
    const response = await world().call(world().tokens.adminA, 'GET', url('+447700900123'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ calls: [], complete: true });
  });
});

describe('DELETE /v1/data-subjects/{e164}', () => {
  it('refuses agents and managers (403) and changes nothing', async () => {
    for (const token of [world().tokens.agentA, world().tokens.managerA]) {
      const response = await world().call(token, 'DELETE', url(SUBJECT));
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('forbidden');
    }
    expect((await exportOf(world().tokens.adminA)).document.calls).toHaveLength(2);
  });

  it('refuses the whole erasure with 409 listing what is under legal hold', async () => {
    const { env } = world();
    await env.ownerDb.updateTable('recordings').set({ legal_hold: true }).where('id', '=', a2.recording.id).execute();
    const response = await world().call(world().tokens.adminA, 'DELETE', url(SUBJECT));
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'legal_hold', heldRecordingIds: [a2.recording.id], heldCallIds: [a2.call.id] });
    const untouched = await env.ownerDb.selectFrom('recordings').select('status').where('id', '=', a1.recording.id).executeTakeFirstOrThrow();
    expect(untouched.status).toBe('stored');
    await env.ownerDb.updateTable('recordings').set({ legal_hold: false }).where('id', '=', a2.recording.id).execute();
  });

  it("erases through B's admin only B's data, and A's export is unchanged", async () => {
    const before = (await exportOf(world().tokens.adminA)).document.calls.length;
    const response = await world().call(world().tokens.adminB, 'DELETE', url(SUBJECT));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ erasedRecordings: 1, erasedCalls: 1 });
    await world().objectRemoved(b1.recording);
    expect((await exportOf(world().tokens.adminA)).document.calls).toHaveLength(before);
    const hitsInB = await scanCompanyFor(world().env.ownerDb, world().b.id, [SUBJECT]);
    expect(hitsInB).toEqual([]);
  });

  it('erases everything of the subject in A: the number, audio, transcript and summary leave no trace; other calls stay', async () => {
    const { env, a } = world();
    const response = await world().call(world().tokens.adminA, 'DELETE', url(SUBJECT));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ erasedRecordings: 2, erasedCalls: 2, redactedPayloads: 1 });
    await world().objectRemoved(a1.recording);

    expect(aboutSubject(await scanCompanyFor(env.ownerDb, a.id, [SUBJECT]))).toEqual([]);
    const bucket = await scanBucketFor(env.storage.client, env.storage.bucket, [a1.recording.id, a1.call.id]);
    expect(bucket.objectsScanned).toBe(1); // the other caller's audio stays
    expect(bucket.hits).toEqual([]);
    // Our own copies of the words: transcript and summary. (The provider's copies, in payloads and
    // provider transcripts, are redacted by the erasure path itself: h15-erasure.)
    const words = (await scanCompanyFor(env.ownerDb, a.id, [A_WORDS])).filter((hit) => ['calls', 'transcripts'].includes(hit.table));
    expect(words).toEqual([]);
    const recordings = await env.ownerDb.selectFrom('recordings').select(['id', 'status']).where('call_id', 'in', [a1.call.id, a2.call.id]).execute();
    expect(recordings.map((recording) => recording.status)).toEqual(['deleted', 'deleted']);

    const longer = await env.ownerDb
      .selectFrom('webhook_events')
      .select('payload')
      .where('call_ref', '=', aOther.call.twilio_call_sid)
      .executeTakeFirstOrThrow();
    expect(longer.payload).toMatchObject({ From: `${SUBJECT}9` });
    const other = await env.ownerDb.selectFrom('recordings').select(['status', 'from_number']).where('id', '=', aOther.recording.id).executeTakeFirstOrThrow();
    expect(other).toEqual({ status: 'stored', from_number: OTHER_CALLER });
    expect(await env.ownerDb.selectFrom('transcripts').select('id').where('recording_id', '=', aOther.recording.id).executeTakeFirst()).toBeDefined();

    const trail = await env.ownerDb
      .selectFrom('audit_events')
      .selectAll()
      .where('company_id', '=', a.id)
      .where('action', 'in', ['data_subject.erase', 'recording.delete'])
      .execute();
    expect(
      trail
        .filter((event) => event.action === 'recording.delete')
        .map((event) => event.target_id)
        .sort(),
    ).toEqual([a1.recording.id, a2.recording.id].sort());
    expect(trail.find((event) => event.action === 'data_subject.erase')).toMatchObject({
      actor_user_id: world().users.adminA.id,
      details: { erasedRecordings: 2 },
    });

    const after = await exportOf(world().tokens.adminA);
    expect(after.document.calls).toEqual([]);
  });

  it('is idempotent: erasing again finds nothing and succeeds', async () => {
    const response = await world().call(world().tokens.adminA, 'DELETE', url(SUBJECT));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ erasedRecordings: 0, erasedCalls: 0, redactedPayloads: 0 });
  });
});
