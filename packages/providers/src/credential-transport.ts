import { InsecureTransportError } from './provider-errors';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Provider credentials travel over https only; plain http is allowed to loopback alone (the
 * simulator in development and tests). `previous` is the URL a redirect came from: a redirect may
 * never downgrade https to http, loopback or not.
 */
export function assertCredentialTransport(url: URL, previous?: URL): void {
  if (previous?.protocol === 'https:' && url.protocol !== 'https:') throw new InsecureTransportError(`a redirect from https to ${url.protocol} is refused`);
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new InsecureTransportError(`provider credentials are only sent over https (got ${url.protocol}//${url.host})`);
}
