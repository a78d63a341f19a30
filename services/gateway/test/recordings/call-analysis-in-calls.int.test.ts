import { describe, expect, it } from 'vitest';
import { openForFile } from '@callvault/testing';
import { auditTrail, createRecordingsWorld, seedAnalysis, seedCall, seedCallWithRecording, seedRecording } from './recordings-test-kit';

/**
 * The model's analysis where people look at calls: a summary of the newest analysis the caller may
 * see on every call of a list (and of the change feed), the full analysis per recording on the call
 * detail; every analysis shown leaves a `recording.analysis.read`.
 */
const world = openForFile(async () => {
  const built = await createRecordingsWorld();
  const { env, a, b, users } = built;
  // One call of agentA with two recordings: agentA's (older analysis) and the manager's (newer).
  const shared = await seedCall(env, a.id, { ownerUserId: users.agentA.id });
  const agentRecording = await seedRecording(env, shared);
  const managerRecording = await seedRecording(env, shared, { ownerUserId: users.managerA.id });
  await seedAnalysis(env, agentRecording, {
    summary: 'agent side',
    topics: ['billing'],
    answers: { greet: 'yes', refund: 'no' },
    completedAt: new Date('2024-05-01T10:00:00Z'),
  });
  await seedAnalysis(env, managerRecording, {
    summary: 'manager side',
    topics: ['refund'],
    answers: { greet: 'not_applicable' },
    completedAt: new Date('2024-05-02T10:00:00Z'),
  });
  const plain = await seedCallWithRecording(env, a.id, users.agentA.id);
  const inB = await seedCallWithRecording(env, b.id, users.agentB.id);
  await seedAnalysis(env, inB.recording, { summary: 'company B secret' });
  return Object.assign(built, { shared, agentRecording, managerRecording, plain, inB });
});

type Listed = { id: string; analysis: { recordingId: string; summary: string | null; topics: string[]; scorecard: unknown[] } | null };

async function listed(token: string, query = '') {
  const response = await world().call(token, 'GET', `/v1/calls?limit=100${query}`);
  expect(response.statusCode).toBe(200);
  return response.json().items as Listed[];
}

describe('analysis on call lists', () => {
  it('shows each role the newest analysis among the recordings it may see, with scorecard answers and no quotes', async () => {
    const { tokens, shared, agentRecording, managerRecording, plain } = world();
    const agentView = (await listed(tokens.agentA)).find((item) => item.id === shared.id)!;
    expect(agentView.analysis).toMatchObject({
      recordingId: agentRecording.id,
      summary: 'agent side',
      topics: ['billing'],
      scorecard: [
        { questionId: 'greet', answer: 'yes' },
        { questionId: 'refund', answer: 'no' },
      ],
    });
    expect(JSON.stringify(agentView.analysis)).not.toContain('kenobi');
    for (const token of [tokens.managerA, tokens.adminA]) {
      const view = (await listed(token)).find((item) => item.id === shared.id)!;
      expect(view.analysis).toMatchObject({ recordingId: managerRecording.id, summary: 'manager side' });
    }
    expect((await listed(tokens.agentA)).find((item) => item.id === plain.call.id)!.analysis).toBeNull();
  });

  it('never shows another company its analyses, and carries them on the change feed too', async () => {
    const { tokens, inB, shared } = world();
    expect((await listed(tokens.adminA)).map((item) => item.id)).not.toContain(inB.call.id);
    expect(JSON.stringify(await listed(tokens.adminA))).not.toContain('company B secret');
    expect((await listed(tokens.adminB)).find((item) => item.id === inB.call.id)!.analysis?.summary).toBe('company B secret');
    const feed = await listed(tokens.adminA, '&sort=updatedAt');
    expect(feed.find((item) => item.id === shared.id)?.analysis?.summary).toBe('manager side');
  });

  it('audits every analysis a page shows, in the company that holds it', async () => {
    const { env, a, users, tokens, agentRecording } = world();
    const before = (await auditTrail(env, a.id, 'recording.analysis.read')).length;
    await listed(tokens.agentA);
    const after = await auditTrail(env, a.id, 'recording.analysis.read');
    expect(after.length - before).toBe(1);
    expect(after.at(-1)).toMatchObject({ actor_user_id: users.agentA.id, target_type: 'recording', target_id: agentRecording.id });
  });
});

describe('analysis on the call detail', () => {
  it('gives each recording in scope its full analysis and audits each one shown', async () => {
    const { env, a, tokens, users, shared, agentRecording, managerRecording } = world();
    const detail = await world().call(tokens.managerA, 'GET', `/v1/calls/${shared.id}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body.analysis.summary).toBe('manager side');
    const byId = new Map(body.recordings.map((entry: { id: string; analysis: unknown }) => [entry.id, entry.analysis]));
    expect(byId.get(agentRecording.id)).toMatchObject({
      status: 'completed',
      result: { summary: 'agent side', scorecard: [{ evidence: [{ quote: 'hello there general kenobi' }] }, {}] },
    });
    expect(byId.get(managerRecording.id)).toMatchObject({ result: { summary: 'manager side' } });
    const trail = (await auditTrail(env, a.id, 'recording.analysis.read')).filter((event) => event.actor_user_id === users.managerA.id);
    expect(new Set(trail.map((event) => event.target_id))).toEqual(new Set([agentRecording.id, managerRecording.id]));

    const agentDetail = (await world().call(tokens.agentA, 'GET', `/v1/calls/${shared.id}`)).json();
    expect(agentDetail.recordings.map((entry: { id: string }) => entry.id)).toEqual([agentRecording.id]);
    expect(JSON.stringify(agentDetail)).not.toContain('manager side');
  });

  it('is 404 across companies', async () => {
    const { tokens, inB } = world();
    expect((await world().call(tokens.adminA, 'GET', `/v1/calls/${inB.call.id}`)).statusCode).toBe(404);
  });
});
