import { z } from 'zod';

/**
 * The OpenAI-compatible Chat Completions API (`POST {baseUrl}/chat/completions`), as OpenAI, Azure
 * OpenAI (v1 endpoint), vLLM, Ollama and LM Studio serve it, with plain fetch: one request, one
 * answer, and an error that says whether trying again later can help. Retries belong to the job.
 */
export interface ModelServer {
  /** Up to and including `/v1`, without a trailing slash. */
  baseUrl: string;
  apiKey: string | null;
  model: string;
  timeoutMs: number;
}

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export interface ChatAnswer {
  content: string | null;
  refusal: string | null;
  usage: { promptTokens: number; completionTokens: number } | null;
}

/** A refusal or failure of the model server. `retryable`: timeouts, connection errors, 408, 409, 429 and 5xx. */
export class ModelServerError extends Error {
  override readonly name = 'ModelServerError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const responseBody = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }).passthrough() }).passthrough()).min(1),
  usage: z
    .object({ prompt_tokens: z.number().int().min(0), completion_tokens: z.number().int().min(0) })
    .passthrough()
    .nullish(),
});

const errorBody = z.object({ error: z.object({ message: z.string().optional(), code: z.string().nullish() }).passthrough() }).passthrough();

/** Azure OpenAI takes its key in `api-key`; everyone else in a Bearer token. */
function authHeaders(server: ModelServer): Record<string, string> {
  if (!server.apiKey) return {};
  const host = new URL(server.baseUrl).hostname;
  return host.endsWith('.openai.azure.com') || host.endsWith('.cognitiveservices.azure.com')
    ? { 'api-key': server.apiKey }
    : { authorization: `Bearer ${server.apiKey}` };
}

function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export async function createChatCompletion(
  server: ModelServer,
  request: { messages: ChatMessage[]; responseFormat?: Record<string, unknown> },
  signal: AbortSignal,
): Promise<ChatAnswer> {
  let response: Response;
  try {
    response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(server) },
      body: JSON.stringify({
        model: server.model,
        messages: request.messages,
        temperature: 0,
        ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
      }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(server.timeoutMs)]),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    throw new ModelServerError(timedOut ? `model server did not answer within ${server.timeoutMs} ms` : 'model server unreachable', true, null, {
      cause: error,
    });
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    // The server's own words help the operator; they never contain our key.
    const parsed = errorBody.safeParse(safeJson(text));
    const detail = parsed.success ? (parsed.data.error.message ?? parsed.data.error.code ?? '') : '';
    throw new ModelServerError(
      `model server answered ${response.status}${detail ? `: ${detail.slice(0, 300)}` : ''}`,
      retryableStatus(response.status),
      response.status,
    );
  }
  const parsed = responseBody.safeParse(safeJson(text));
  if (!parsed.success) throw new ModelServerError('model server answered 2xx without a chat completion', true, response.status);
  const message = parsed.data.choices[0]!.message;
  const usage = parsed.data.usage;
  return {
    content: message.content ?? null,
    refusal: message.refusal ?? null,
    usage: usage ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens } : null,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
