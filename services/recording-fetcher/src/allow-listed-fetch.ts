import { Readable } from 'node:stream';
import { assertCredentialTransport, InsecureTransportError } from '@callvault/providers';
import { PermanentFetchError } from './fetch-errors';

export interface AllowListedResponse {
  status: number;
  headers: Headers;
  body: Readable | null;
  url: string;
}

const MAX_REDIRECTS = 5;

/** host[:port] as the allow-list writes it; default ports are left out, as browsers do. */
export function hostOf(url: URL): string {
  return url.port ? `${url.hostname.toLowerCase()}:${url.port}` : url.hostname.toLowerCase();
}

/**
 * GET that contacts only allow-listed hosts, checked before the first request and before every
 * redirect (a webhook must never make us fetch an arbitrary URL). Credentials are sent only to the
 * host they were meant for, over https (plain http to loopback only: the simulator): a redirect to
 * another host (a signed storage URL) goes without them. No redirect may downgrade https to http.
 */
export async function allowListedGet(
  input: string,
  options: { allowedHosts: readonly string[]; headers?: Record<string, string>; signal?: AbortSignal; timeoutMs: number },
): Promise<AllowListedResponse> {
  let url = new URL(input);
  const originalHost = hostOf(url);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let previous: URL | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PermanentFetchError(`media URL scheme ${url.protocol} is not allowed`);
    if (previous?.protocol === 'https:' && url.protocol !== 'https:') throw new PermanentFetchError('a redirect from https to http is refused');
    if (!options.allowedHosts.includes(hostOf(url))) {
      throw new PermanentFetchError(`media host ${hostOf(url)} is not in MEDIA_FETCH_ALLOWED_HOSTS${hop > 0 ? ' (reached by a redirect)' : ''}`);
    }
    const headers = hostOf(url) === originalHost ? (options.headers ?? {}) : {};
    if (Object.keys(headers).length > 0) {
      try {
        assertCredentialTransport(url, previous);
      } catch (error) {
        if (error instanceof InsecureTransportError) throw new PermanentFetchError(error.message);
        throw error;
      }
    }
    const response = await fetch(url, { headers, redirect: 'manual', signal });
    if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
      await response.body?.cancel();
      previous = url;
      url = new URL(response.headers.get('location')!, url);
      continue;
    }
    return {
      status: response.status,
      headers: response.headers,
      body: response.body ? Readable.fromWeb(response.body as import('node:stream/web').ReadableStream) : null,
      url: url.toString(),
    };
  }
  throw new PermanentFetchError(`more than ${MAX_REDIRECTS} redirects`);
}
