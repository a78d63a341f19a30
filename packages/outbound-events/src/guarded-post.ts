import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { isLoopbackName } from './endpoint-url';

export interface PostPolicy {
  /** Plain http and loopback addresses for 127.0.0.1/localhost (never in production). */
  allowLoopback: boolean;
  /** Host names allowed to resolve to private addresses (a receiver inside the operator's network). */
  privateHosts: readonly string[];
  timeoutMs: number;
  /** Bytes of the answer kept; the rest is not read. */
  maxResponseBytes: number;
  /** Where a name resolves to: the system resolver unless given (tests stand in for DNS with it). */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

const systemResolve = (hostname: string): Promise<ResolvedAddress[]> => lookup(hostname, { all: true, verbatim: true });

export interface PostResult {
  statusCode: number;
  body: string;
}

/**
 * A destination the guards refuse. The message is what the company may read (it named the URL);
 * `detail` (what the name resolved to) is for the operator's log only, so a company cannot use the
 * refusals to map which internal names exist and where they point.
 */
export class RefusedDestinationError extends Error {
  override name = 'RefusedDestinationError';
  constructor(
    message: string,
    readonly detail: string = message,
  ) {
    super(message);
  }
}

const NOT_PUBLIC = 'the destination is not a public address the deployment may reach';

/**
 * The address to connect to: every address the name resolves to must be public unicast (or the
 * name allow-listed), and the connection goes to the one checked, so a second lookup (DNS
 * rebinding) cannot point it elsewhere.
 */
async function vettedAddress(hostname: string, policy: PostPolicy): Promise<ResolvedAddress> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(bare)
    ? [{ address: bare, family: ipaddr.parse(bare).kind() === 'ipv6' ? 6 : 4 }]
    : await (policy.resolve ?? systemResolve)(bare);
  if (addresses.length === 0) throw new RefusedDestinationError(NOT_PUBLIC, `${hostname} does not resolve`);
  const allowPrivate = policy.privateHosts.includes(bare) || (policy.allowLoopback && isLoopbackName(hostname));
  for (const entry of addresses) {
    const parsed = ipaddr.process(entry.address);
    const range = parsed.range();
    const loopbackOk = range === 'loopback' && policy.allowLoopback && isLoopbackName(hostname);
    if (range !== 'unicast' && !loopbackOk && !allowPrivate) throw new RefusedDestinationError(NOT_PUBLIC, `${hostname} resolves to a ${range} address`);
  }
  return addresses[0]!;
}

/**
 * POSTs a body to a customer's URL with the guards an SSRF surface needs: vetted addresses, no
 * redirects followed (a 3xx is an answer like any other), a deadline for the whole exchange, and
 * at most `maxResponseBytes` of the answer read. `signal` ends it earlier (a worker shutting down).
 */
export async function guardedPost(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  policy: PostPolicy,
  signal?: AbortSignal,
): Promise<PostResult> {
  const url = new URL(rawUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowLoopback && isLoopbackName(url.hostname)))
    throw new RefusedDestinationError('only https URLs are called');
  const target = await vettedAddress(url.hostname, policy);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostResult>((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(policy.timeoutMs)]) : AbortSignal.timeout(policy.timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept >= policy.maxResponseBytes) {
            response.destroy();
            return;
          }
          chunks.push(chunk.subarray(0, policy.maxResponseBytes - kept));
          kept += Math.min(chunk.length, policy.maxResponseBytes - kept);
        });
        const finish = () => resolve({ statusCode: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
