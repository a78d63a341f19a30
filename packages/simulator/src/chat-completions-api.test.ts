import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerChatCompletionsApi, SimModelServer } from './chat-completions-api';

const server = new SimModelServer('sk-sim');
const app = Fastify();
registerChatCompletionsApi(app, server);

beforeAll(() => app.ready());
afterAll(() => app.close());

const transcript = [
  { speaker: 'agent', startSeconds: 0.5, text: 'Hello, I can confirm the appointment for Friday morning.' },
  { speaker: 'customer', startSeconds: 4.5, text: 'Great, thank you. I will bring the forms on Friday.' },
];

function ask(content: string, headers: Record<string, string> = { authorization: 'Bearer sk-sim' }) {
  return app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers,
    payload: {
      model: 'sim-analyst',
      messages: [
        { role: 'system', content: 'Analyse the call.' },
        { role: 'user', content },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'analysis', strict: true, schema: { type: 'object' } } },
    },
  });
}

const document = JSON.stringify({
  questions: [
    { id: 'q1', text: 'Did the agent confirm the appointment?' },
    { id: 'q2', text: 'Was a refund offered?' },
  ],
  transcript,
});

describe('simulated chat completions', () => {
  it('answers in the documented shape with usage, deriving the analysis from the transcript', async () => {
    const response = await ask(document);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.object).toBe('chat.completion');
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    const analysis = JSON.parse(body.choices[0].message.content);
    expect(analysis.scorecard).toEqual([
      { questionId: 'q1', answer: 'yes', evidence: [{ quote: transcript[0]!.text, atSeconds: 0.5 }] },
      { questionId: 'q2', answer: 'not_applicable', evidence: [] },
    ]);
    expect(analysis.actionItems).toEqual([{ description: transcript[1]!.text, owner: 'customer', dueDate: 'friday' }]);
    expect(analysis.sentiment).toContainEqual({ speaker: 'customer', sentiment: 'positive' });
  });

  it('refuses a wrong key with 401, as OpenAI does', async () => {
    const response = await ask(document, { authorization: 'Bearer nope' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('invalid_api_key');
  });

  it('replaces the next answers with queued faults, one each', async () => {
    server.faults.push({ kind: 'status', status: 429 }, { kind: 'malformed-json' }, { kind: 'refusal' }, { kind: 'answer', content: '{"summary":"told"}' });
    const limited = await ask(document);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.type).toBe('rate_limit_exceeded');
    const malformed = await ask(document);
    expect(() => JSON.parse(malformed.json().choices[0].message.content)).toThrow();
    const refused = await ask(document);
    expect(refused.json().choices[0].message).toMatchObject({ content: null, refusal: expect.any(String) });
    expect((await ask(document)).json().choices[0].message).toMatchObject({ content: '{"summary":"told"}', refusal: null });
    expect(JSON.parse((await ask(document)).json().choices[0].message.content).summary).not.toBe('told');
  });
});
