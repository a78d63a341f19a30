import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail, createAdminWorld, type AdminWorld } from './admin-test-kit';

let world: AdminWorld;

beforeAll(async () => {
  world = await createAdminWorld();
});

afterAll(async () => {
  await world?.close();
});

const choiceOf = async (companyId: string) =>
  (await world.env.ownerDb.selectFrom('intelligence_settings').select('speech_to_text').where('company_id', '=', companyId).executeTakeFirst())?.speech_to_text;

describe('speech-to-text settings', () => {
  it('a company admin chooses the service; Deepgram until it does; the analysis settings stay as they were', async () => {
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/settings/speech-to-text')).json()).toEqual({ speechToText: 'deepgram', updatedAt: null });
    const put = await world.call(world.tokens.adminA, 'PUT', '/v1/settings/speech-to-text', { speechToText: 'openai' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ speechToText: 'openai' });
    expect(await choiceOf(world.a.id)).toBe('openai');
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/settings/intelligence')).json()).toMatchObject({ enabled: false, scorecardQuestions: [] });

    // Opting in to analysis afterwards keeps the choice.
    const intelligence = { enabled: true, scorecardQuestions: [], modelBaseUrl: null, modelName: null };
    expect((await world.call(world.tokens.adminA, 'PUT', '/v1/settings/intelligence', intelligence)).statusCode).toBe(200);
    expect(await choiceOf(world.a.id)).toBe('openai');
    expect((await world.call(world.tokens.adminA, 'PUT', '/v1/settings/speech-to-text', { speechToText: 'none' })).json().speechToText).toBe('none');
    expect((await world.call(world.tokens.adminA, 'GET', '/v1/settings/intelligence')).json().enabled).toBe(true);
    expect((await auditTrail(world.env, world.a.id, 'settings.speech-to-text.update')).map((event) => event.details)).toEqual([
      { speechToText: 'openai' },
      { speechToText: 'none' },
    ]);
  });

  it('refuses an unknown service or a URL: only the operator’s servers hear audio', async () => {
    for (const body of [{ speechToText: 'whisper' }, { speechToText: 'openai', baseUrl: 'https://stt.attacker.example/v1' }, {}]) {
      expect((await world.call(world.tokens.adminA, 'PUT', '/v1/settings/speech-to-text', body)).statusCode).toBe(400);
    }
  });

  it('answers 403 to agents and managers, 404 to another company’s admin; a superadmin names the company', async () => {
    for (const token of [world.tokens.agentA, world.tokens.managerA]) {
      expect((await world.call(token, 'GET', '/v1/settings/speech-to-text')).statusCode).toBe(403);
      expect((await world.call(token, 'PUT', '/v1/settings/speech-to-text', { speechToText: 'deepgram' })).statusCode).toBe(403);
    }
    const before = await choiceOf(world.a.id);
    expect((await world.call(world.tokens.adminB, 'PUT', '/v1/settings/speech-to-text', { companyId: world.a.id, speechToText: 'deepgram' })).statusCode).toBe(
      404,
    );
    expect((await world.call(world.tokens.adminB, 'GET', `/v1/settings/speech-to-text?companyId=${world.a.id}`)).statusCode).toBe(404);
    expect(await choiceOf(world.a.id)).toBe(before);
    expect(await choiceOf(world.b.id)).toBeUndefined();

    expect((await world.call(world.tokens.superadmin, 'GET', '/v1/settings/speech-to-text')).statusCode).toBe(400);
    const read = await world.call(world.tokens.superadmin, 'GET', `/v1/settings/speech-to-text?companyId=${world.a.id}`);
    expect(read.json().speechToText).toBe(before);
    expect(await auditTrail(world.env, world.a.id, 'settings.speech-to-text.read')).toHaveLength(1);
  });
});
