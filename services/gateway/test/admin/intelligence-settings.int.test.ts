import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCallWithRecording } from '../recordings/recordings-test-kit';
import { auditTrail, createAdminWorld, type AdminWorld } from './admin-test-kit';

let world: AdminWorld;

const QUESTIONS = [{ id: 'confirm-date', text: 'Did the agent confirm the appointment date?' }];
const valid = {
  enabled: true,
  scorecardQuestions: QUESTIONS,
  modelBaseUrl: 'https://models.clinic.example/v1',
  modelName: 'clinic-llama',
  modelApiKey: 'sk-clinic-secret',
};

beforeAll(async () => {
  world = await createAdminWorld();
});

afterAll(async () => {
  await world?.close();
});

const settingsRow = (companyId: string) =>
  world.env.ownerDb.selectFrom('intelligence_settings').selectAll().where('company_id', '=', companyId).executeTakeFirst();

describe('intelligence settings', () => {
  it('a company admin opts in with a scorecard and its own model server; the key is sealed and never shown', async () => {
    const before = await world.call(world.tokens.adminA, 'GET', '/v1/settings/intelligence');
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ enabled: false, scorecardQuestions: [], modelApiKeySet: false });

    const put = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/intelligence', valid);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ enabled: true, scorecardQuestions: QUESTIONS, modelName: 'clinic-llama', modelApiKeySet: true });
    expect(put.body).not.toContain('sk-clinic-secret');
    const row = await settingsRow(world.a.id);
    expect(row?.model_key_sealed).toMatch(/^v1\./);
    expect(row?.model_key_sealed).not.toContain('sk-clinic-secret');
    const trail = await auditTrail(world.env, world.a.id, 'settings.intelligence.update');
    expect(trail).toHaveLength(1);
    expect(JSON.stringify(trail)).not.toContain('sk-clinic-secret');

    // Omitted key: kept for the same server, dropped for a new one.
    const { modelApiKey: _key, ...withoutKey } = valid;
    expect((await world.call(world.tokens.adminA, 'PUT', '/v1/settings/intelligence', withoutKey)).json().modelApiKeySet).toBe(true);
    const moved = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/intelligence', { ...withoutKey, modelBaseUrl: 'https://other.example/v1' });
    expect(moved.json().modelApiKeySet).toBe(false);
  });

  it('refuses what it cannot store safely: duplicate ids, too many questions, plain http, a key without a server', async () => {
    const cases = [
      { ...valid, scorecardQuestions: [QUESTIONS[0], QUESTIONS[0]] },
      { ...valid, scorecardQuestions: Array.from({ length: 31 }, (_, index) => ({ id: `q${index}`, text: `Question number ${index}?` })) },
      { ...valid, scorecardQuestions: [{ id: 'Bad Id', text: 'Question?' }] },
      { ...valid, modelBaseUrl: 'http://models.clinic.example/v1' },
      { ...valid, modelBaseUrl: null },
      { ...valid, unknown: true },
    ];
    for (const body of cases) {
      const response = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/intelligence', body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
  });

  it('answers 403 to agents and managers, 404 to another company’s admin, and leaves the other company untouched', async () => {
    for (const token of [world.tokens.agentA, world.tokens.managerA]) {
      expect((await world.call(token, 'GET', '/v1/settings/intelligence')).statusCode).toBe(403);
      expect((await world.call(token, 'PUT', '/v1/settings/intelligence', valid)).statusCode).toBe(403);
    }
    const rowA = await settingsRow(world.a.id);
    const read = await world.call(world.tokens.adminB, 'GET', `/v1/settings/intelligence?companyId=${world.a.id}`);
    expect(read.statusCode).toBe(404);
    const write = await world.call(world.tokens.adminB, 'PUT', '/v1/settings/intelligence', {
      ...valid,
      companyId: world.a.id,
      modelBaseUrl: 'https://attacker.example/v1',
    });
    expect(write.statusCode).toBe(404);
    expect(await settingsRow(world.a.id)).toEqual(rowA);
    expect(await settingsRow(world.b.id)).toBeUndefined();

    const superadmin = await world.call(world.tokens.superadmin, 'GET', `/v1/settings/intelligence?companyId=${world.a.id}`);
    expect(superadmin.statusCode).toBe(200);
    expect(superadmin.json().modelApiKeySet).toBe(false);
  });
});

describe('analysis where people look', () => {
  it('shows the analysis in the recording, only to those who may see the recording, and re-runs it on request', async () => {
    const { call, recording } = await seedCallWithRecording(world.env, world.a.id, world.users.agentA.id);
    const result = {
      summary: 'The agent confirmed Friday.',
      topics: ['appointment'],
      actionItems: [],
      sentiment: [{ speaker: 'agent', sentiment: 'positive' }],
      scorecard: [
        {
          questionId: 'confirm-date',
          question: QUESTIONS[0]!.text,
          answer: 'yes',
          evidence: [{ quote: 'confirmed for Friday', atSeconds: 1, speaker: 'agent' }],
        },
      ],
      droppedQuotes: 0,
      repaired: false,
    };
    await world.env.ownerDb
      .insertInto('call_analyses')
      .values({
        company_id: world.a.id,
        recording_id: recording.id,
        call_id: call.id,
        status: 'completed',
        result: JSON.stringify(result),
        model: 'clinic-llama',
        completed_at: new Date(),
        error: null,
        failed_at: null,
      })
      .execute();

    for (const token of [world.tokens.agentA, world.tokens.managerA, world.tokens.adminA]) {
      const read = await world.call(token, 'GET', `/v1/recordings/${recording.id}`);
      expect(read.statusCode).toBe(200);
      expect(read.json().analysis).toMatchObject({ status: 'completed', model: 'clinic-llama', result });
    }
    expect((await world.call(world.tokens.adminB, 'GET', `/v1/recordings/${recording.id}`)).statusCode).toBe(404);

    const outbox = () =>
      world.env.ownerDb.selectFrom('job_outbox').select('queue').where('company_id', '=', world.a.id).where('job_id', 'like', `%${recording.id}%`).execute();
    expect((await world.call(world.tokens.adminB, 'POST', `/v1/recordings/${recording.id}/analyze`)).statusCode).toBe(404);
    expect((await world.call(world.tokens.agentA, 'POST', `/v1/recordings/${recording.id}/analyze`)).statusCode).toBe(403);
    expect(await outbox()).toEqual([]);
    const rerun = await world.call(world.tokens.managerA, 'POST', `/v1/recordings/${recording.id}/analyze`);
    expect(rerun.statusCode).toBe(202);
    expect((await outbox()).map((row) => row.queue).sort()).toEqual(['analytics', 'call-analysis']);
  });
});
