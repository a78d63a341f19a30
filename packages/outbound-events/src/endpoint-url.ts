/**
 * Where a company may have its events sent. Customer URLs are an SSRF surface: https only, with
 * no credentials in the URL; plain http to 127.0.0.1 or localhost only outside production (a
 * developer's receiver). Where the name resolves to is checked again at every delivery.
 */
export function endpointUrlProblem(raw: string, options: { allowLoopbackHttp: boolean }): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute URL';
  }
  if (url.username || url.password) return 'url must not carry credentials';
  if (url.hash) return 'url must not have a fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && options.allowLoopbackHttp && isLoopbackName(url.hostname)) return undefined;
  return options.allowLoopbackHttp ? 'url must use https (http only for 127.0.0.1 or localhost outside production)' : 'url must use https';
}

export function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}
