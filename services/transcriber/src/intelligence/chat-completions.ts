import { z } from 'zod';
import { isRetryableStatus, VendorFailure } from '../vendor-failure';
import { guardedPost, RefusedDestinationError, type PostPolicy } from '@callvault/outbound-events';

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
  /**
   * Set for a server a company named: its URL is an SSRF surface, so every request goes through
   * the same guards as outbound webhooks (addresses vetted when connecting and pinned, no redirects,
   * a bounded answer). The deployment's own server, named by the operator, is called directly.
   */
  guard?: PostPolicy;
}

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export interface ChatAnswer {
  content: string | null;
  refusal: string | null;
  usage: { promptTokens: number; completionTokens: number } | null;
}

/** A refusal or failure of the model server (see VendorFailure for `retryable`). */
export class ModelServerError extends VendorFailure {
  override readonly name = 'ModelServerError';
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

export async function createChatCompletion(
  server: ModelServer,
  request: { messages: ChatMessage[]; responseFormat?: Record<string, unknown> },
  signal: AbortSignal,
): Promise<ChatAnswer> {
  const body = JSON.stringify({
    model: server.model,
    messages: request.messages,
    temperature: 0,
    ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
  });
  const deadline = AbortSignal.timeout(server.timeoutMs);
  let response: { status: number; text: string };
  try {
    response = await post(server, `${server.baseUrl}/chat/completions`, body, AbortSignal.any([signal, deadline]));
  } catch (error) {
    if (error instanceof RefusedDestinationError) throw new ModelServerError(`model server refused: ${error.message}`, false, null, { cause: error });
    throw new ModelServerError(deadline.aborted ? `model server did not answer within ${server.timeoutMs} ms` : 'model server unreachable', true, null, {
      cause: error,
    });
  }
  const text = response.text;
  if (response.status < 200 || response.status >= 300) {
    // The server's own words help the operator; they never contain our key.
    const parsed = errorBody.safeParse(safeJson(text));
    const detail = parsed.success ? (parsed.data.error.message ?? parsed.data.error.code ?? '') : '';
    throw new ModelServerError(
      `model server answered ${response.status}${detail ? `: ${detail.slice(0, 300)}` : ''}`,
      isRetryableStatus(response.status),
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

/** One POST of JSON: through the SSRF guards for a company's server, directly for the deployment's. */
async function post(server: ModelServer, url: string, body: string, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const headers = { 'content-type': 'application/json', ...authHeaders(server) };
  if (server.guard) {
    const answer = await guardedPost(url, body, headers, server.guard, signal);
    return { status: answer.statusCode, text: answer.body };
  }
  const response = await fetch(url, { method: 'POST', headers, body, signal });
  return { status: response.status, text: await response.text().catch(() => '') };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
