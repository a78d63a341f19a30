import { describe, expect, it } from 'vitest';
import { openForFile } from '@callvault/testing';
import { createRecordingsWorld, seedAnalysis, seedCallWithRecording, type ScorecardAnswer } from './recordings-test-kit';

/**
 * Scorecard answers counted per question and per agent, scoped like the other stats (agent: own;
 * manager: own and reports'; admin: company; another company: never), and what the language model
 * cost per company and model (admins only), priced by the operator's table.
 */
const world = openForFile(async () => {
  const built = await createRecordingsWorld({ INTELLIGENCE_PRICE_PER_MILLION_TOKENS: 'sim-model:1:2' });
  const { env, a, b, users } = built;
  await env.ownerDb
    .insertInto('intelligence_settings')
    .values({
      company_id: a.id,
      enabled: true,
      scorecard_questions: JSON.stringify([
        { id: 'greet', text: 'Did the agent greet the caller?' },
        { id: 'refund', text: 'Was a refund offered?' },
      ]),
    })
    .execute();
  const analysed = async (companyId: string, ownerUserId: string, answers: Record<string, ScorecardAnswer>) => {
    const { recording } = await seedCallWithRecording(env, companyId, ownerUserId);
    await seedAnalysis(env, recording, { answers });
  };
  await analysed(a.id, users.agentA.id, { greet: 'yes', refund: 'no' });
  await analysed(a.id, users.agentA.id, { greet: 'no', gone: 'yes' });
  await analysed(a.id, users.agentA2.id, { greet: 'yes', refund: 'not_applicable' });
  await analysed(a.id, users.managerA.id, { greet: 'yes' });
  await analysed(b.id, users.agentB.id, { greet: 'yes' });
  // A deleted recording's analysis no longer counts.
  const { recording } = await seedCallWithRecording(env, a.id, users.agentA.id, { status: 'deleted' });
  await seedAnalysis(env, recording, { answers: { greet: 'yes' } });

  const usage = (companyId: string, model: string, day: string, requests: number, prompt: number, completion: number) =>
    env.ownerDb
      .insertInto('model_usage')
      .values({ company_id: companyId, model, day, requests, prompt_tokens: prompt, completion_tokens: completion })
      .execute();
  await usage(a.id, 'sim-model', '2024-05-01', 2, 1000, 200);
  await usage(a.id, 'sim-model', '2024-05-02', 1, 1000, 0);
  await usage(a.id, 'unpriced-model', '2024-05-01', 1, 10, 10);
  await usage(b.id, 'sim-model', '2024-05-01', 1, 500, 100);
  return built;
});

async function scorecard(token: string, query = '') {
  const response = await world().call(token, 'GET', `/v1/stats/scorecard${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    byQuestion: Array<{ questionId: string; question: string | null; yes: number; no: number; notApplicable: number }>;
    byAgent: Array<{ ownerUserId: string | null; yes: number; no: number; notApplicable: number; questions: Array<{ questionId: string }> }>;
  };
}

const counts = (yes: number, no: number, notApplicable: number) => ({ yes, no, notApplicable });

describe('GET /v1/stats/scorecard', () => {
  it('counts an agent’s own answers only, with the question texts of the settings', async () => {
    const { tokens, users } = world();
    const stats = await scorecard(tokens.agentA);
    expect(stats.byQuestion).toEqual([
      { questionId: 'gone', question: null, ...counts(1, 0, 0) },
      { questionId: 'greet', question: 'Did the agent greet the caller?', ...counts(1, 1, 0) },
      { questionId: 'refund', question: 'Was a refund offered?', ...counts(0, 1, 0) },
    ]);
    expect(stats.byAgent).toEqual([{ ownerUserId: users.agentA.id, ...counts(2, 2, 0), questions: expect.any(Array) }]);
  });

  it('gives a manager their own and their reports’, never another team’s', async () => {
    const { tokens, users } = world();
    const stats = await scorecard(tokens.managerA);
    expect(new Set(stats.byAgent.map((agent) => agent.ownerUserId))).toEqual(new Set([users.agentA.id, users.managerA.id]));
    expect(stats.byQuestion.find((entry) => entry.questionId === 'greet')).toMatchObject(counts(2, 1, 0));
    expect(stats.byAgent.find((agent) => agent.ownerUserId === users.managerA.id)).toEqual({
      ownerUserId: users.managerA.id,
      ...counts(1, 0, 0),
      questions: [{ questionId: 'greet', ...counts(1, 0, 0) }],
    });
  });

  it('gives an admin the company, a superadmin the company it names; company B never sees A’s answers', async () => {
    const { tokens, a, users } = world();
    const admin = await scorecard(tokens.adminA);
    expect(admin.byQuestion.find((entry) => entry.questionId === 'greet')).toMatchObject(counts(3, 1, 0));
    expect(admin.byQuestion.find((entry) => entry.questionId === 'refund')).toMatchObject(counts(0, 1, 1));
    expect(admin.byAgent).toHaveLength(3);
    expect(await scorecard(tokens.superadmin, `?companyId=${a.id}`)).toEqual(admin);
    expect((await world().call(tokens.superadmin, 'GET', '/v1/stats/scorecard')).json().code).toBe('company_required');

    const inB = await scorecard(tokens.adminB);
    expect(inB.byQuestion).toEqual([{ questionId: 'greet', question: null, ...counts(1, 0, 0) }]);
    expect(inB.byAgent.map((agent) => agent.ownerUserId)).toEqual([users.agentB.id]);
    expect((await world().call(tokens.adminB, 'GET', `/v1/stats/scorecard?companyId=${a.id}`)).statusCode).toBe(404);
  });

  it('counts the recordings started within the period', async () => {
    const { tokens } = world();
    expect(await scorecard(tokens.adminA, '?from=2024-06-01')).toEqual({ byQuestion: [], byAgent: [] });
    expect((await scorecard(tokens.adminA, '?from=2024-05-01&to=2024-05-01')).byAgent).toHaveLength(3);
  });
});

describe('GET /v1/stats/model-usage', () => {
  it('is for company admins and superadmins', async () => {
    const { tokens } = world();
    for (const token of [tokens.agentA, tokens.managerA]) expect((await world().call(token, 'GET', '/v1/stats/model-usage')).statusCode).toBe(403);
  });

  it('prices the models the operator priced and says the cost is unknown for the others', async () => {
    const { tokens, a, b } = world();
    const inA = (await world().call(tokens.adminA, 'GET', '/v1/stats/model-usage')).json();
    expect(inA.byCompanyAndModel).toEqual([
      { companyId: a.id, model: 'sim-model', requests: 3, promptTokens: 2000, completionTokens: 200, costUsd: (2000 * 1 + 200 * 2) / 1e6 },
      { companyId: a.id, model: 'unpriced-model', requests: 1, promptTokens: 10, completionTokens: 10, costUsd: null },
    ]);
    expect(inA.totals).toEqual({ requests: 4, promptTokens: 2010, completionTokens: 210, costUsd: null });

    const inB = (await world().call(tokens.adminB, 'GET', '/v1/stats/model-usage')).json();
    expect(inB).toEqual({
      totals: { requests: 1, promptTokens: 500, completionTokens: 100, costUsd: 0.0007 },
      byCompanyAndModel: [{ companyId: b.id, model: 'sim-model', requests: 1, promptTokens: 500, completionTokens: 100, costUsd: 0.0007 }],
    });
    expect((await world().call(tokens.adminB, 'GET', `/v1/stats/model-usage?companyId=${a.id}`)).statusCode).toBe(404);
  });

  it('gives a superadmin every company, or the one named, within the period', async () => {
    const { tokens, a, b } = world();
    const all = (await world().call(tokens.superadmin, 'GET', '/v1/stats/model-usage')).json();
    expect(new Set(all.byCompanyAndModel.map((row: { companyId: string }) => row.companyId))).toEqual(new Set([a.id, b.id]));
    const oneDay = (await world().call(tokens.superadmin, 'GET', `/v1/stats/model-usage?companyId=${a.id}&from=2024-05-02&to=2024-05-02`)).json();
    expect(oneDay.byCompanyAndModel).toEqual([{ companyId: a.id, model: 'sim-model', requests: 1, promptTokens: 1000, completionTokens: 0, costUsd: 0.001 }]);
  });
});
