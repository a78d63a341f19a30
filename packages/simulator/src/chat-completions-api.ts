import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readAnalysisInput, standInAnalysis } from './stand-in-model';

/**
 * The OpenAI-compatible Chat Completions endpoint (`POST /v1/chat/completions`) that OpenAI, Azure
 * OpenAI, vLLM, Ollama and LM Studio all serve: `Authorization: Bearer <key>` (or Azure's
 * `api-key`), the documented request and response bodies with `usage`, errors as
 * `{ error: { message, type, param, code } }`. The answer comes from the stand-in model; faults
 * queued by tests or `/_sim/model/faults` replace the next answers one by one.
 */
export type ModelFault =
  | { kind: 'malformed-json' }
  | { kind: 'refusal' }
  | { kind: 'timeout'; delayMs?: number }
  | { kind: 'status'; status: number }
  // What a real model may say beyond the transcript it was given (numbers read out as words, retold as digits).
  | { kind: 'answer'; content: string };

export const MODEL_FAULT_KINDS = ['malformed-json', 'refusal', 'timeout', 'status', 'answer'] as const;

export interface ChatCompletionsRequest {
  model?: unknown;
  messages?: unknown;
  response_format?: unknown;
}

export class SimModelServer {
  readonly faults: ModelFault[] = [];
  /** Every request body received, in order: tests check what left callvault. */
  readonly requests: ChatCompletionsRequest[] = [];
  constructor(readonly apiKey: string) {}
}

/** Roughly four characters a token, as OpenAI's rule of thumb: enough for tests to see counting. */
function tokensIn(text: string): number {
  return Math.ceil(text.length / 4);
}

function openAiError(reply: FastifyReply, status: number, type: string, message: string, code: string | null = null) {
  return reply.code(status).send({ error: { message, type, param: null, code } });
}

function errorTypeOf(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

type Message = { role: string; content: string };

function messagesOf(body: ChatCompletionsRequest): Message[] | undefined {
  if (!Array.isArray(body.messages)) return undefined;
  const messages = body.messages.filter(
    (message: unknown): message is Message => typeof (message as Message)?.role === 'string' && typeof (message as Message)?.content === 'string',
  );
  return messages.length === body.messages.length && messages.length > 0 ? messages : undefined;
}

function completion(model: string, prompt: string, message: { content: string | null; refusal: string | null }) {
  const completionTokens = tokensIn(message.content ?? message.refusal ?? '');
  const promptTokens = tokensIn(prompt);
  return {
    id: `chatcmpl-${randomBytes(12).toString('hex')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', ...message }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    system_fingerprint: 'fp_callvault_sim',
  };
}

export function registerChatCompletionsApi(app: FastifyInstance, server: SimModelServer): void {
  app.post('/v1/chat/completions', async (request, reply) => {
    const bearer = request.headers.authorization;
    if (bearer !== `Bearer ${server.apiKey}` && request.headers['api-key'] !== server.apiKey) {
      return openAiError(reply, 401, 'invalid_request_error', 'Incorrect API key provided.', 'invalid_api_key');
    }
    const body = (request.body ?? {}) as ChatCompletionsRequest;
    server.requests.push(body);
    const messages = messagesOf(body);
    if (typeof body.model !== 'string' || !messages) {
      return openAiError(reply, 400, 'invalid_request_error', "'model' and 'messages' are required.");
    }
    const prompt = messages.map((message) => message.content).join('\n');

    const fault = server.faults.shift();
    if (fault?.kind === 'status') {
      if (fault.status === 429) void reply.header('retry-after', '1');
      return openAiError(reply, fault.status, errorTypeOf(fault.status), `Simulated ${fault.status}.`);
    }
    if (fault?.kind === 'timeout') {
      // Long enough to outlast the caller's deadline; the caller's abort ends the wait early.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, fault.delayMs ?? 30_000);
        // The response's close, not the request's: a request closes as soon as its body was read.
        reply.raw.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (fault?.kind === 'refusal') {
      return completion(body.model, prompt, { content: null, refusal: "I'm sorry, I can't help with that request." });
    }
    if (fault?.kind === 'answer') return completion(body.model, prompt, { content: fault.content, refusal: null });

    // The data document is the first user message that parses as one; later ones (a repair request) only ask again.
    const input = messages
      .filter((message) => message.role === 'user')
      .map((message) => readAnalysisInput(message.content))
      .find(Boolean);
    const answer = JSON.stringify(input ? standInAnalysis(input) : { summary: 'No transcript was given.' });
    const content = fault?.kind === 'malformed-json' ? answer.slice(0, Math.floor(answer.length / 2)) : answer;
    return completion(body.model, prompt, { content, refusal: null });
  });
}
