import { assertCredentialTransport } from './credential-transport';
import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';

export interface ProviderRequest {
  /** The provider's name in error messages ("Twilio", "VAPI"). */
  provider: string;
  url: string;
  authorization: string;
  method?: 'GET' | 'DELETE';
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One authenticated call to a provider's REST API: credentials only over https (or to loopback),
 * no redirects followed (a redirect could carry them elsewhere), bounded in time. 401/403 mean the
 * credentials prove nothing; network errors, timeouts, 429 and 5xx mean "try later". Other
 * statuses are returned for the caller to read (404 often means "no such resource").
 */
export async function providerRequest(request: ProviderRequest): Promise<Response> {
  const url = new URL(request.url);
  assertCredentialTransport(url);
  const timeout = AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? 'GET',
      headers: { authorization: request.authorization, accept: 'application/json' },
      redirect: 'error',
      signal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw new ProviderUnavailableError(`${request.provider} could not be reached`);
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new ProviderRejectedError(`${request.provider} refused the credentials (${response.status})`);
  }
  if (response.status === 429 || response.status >= 500) {
    await response.body?.cancel();
    throw new ProviderUnavailableError(`${request.provider} answered ${response.status}`);
  }
  return response;
}

/** The JSON body of a 2xx answer, or a ProviderUnavailableError naming what was expected. */
export async function jsonBody(response: Response, provider: string): Promise<unknown> {
  if (!response.ok) {
    await response.body?.cancel();
    throw new ProviderUnavailableError(`${provider} answered ${response.status}`);
  }
  return response.json().catch(() => {
    throw new ProviderUnavailableError(`${provider} answered with a body that is not JSON`);
  });
}
