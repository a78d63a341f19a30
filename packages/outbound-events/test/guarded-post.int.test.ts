import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedPost, RefusedDestinationError, type PostPolicy, type ResolvedAddress } from '../src/guarded-post';

/**
 * The SSRF guards beyond what the gateway's webhook-endpoint tests cover: DNS names that resolve
 * into private ranges (DNS stood in for by the policy's resolver: the test cannot rely on the
 * machine's resolver), address spellings that mean loopback, DNS rebinding, and the bounds on
 * time and answer size.
 */
const strict: PostPolicy = { allowLoopback: false, privateHosts: [], timeoutMs: 2_000, maxResponseBytes: 64 };
const dns =
  (answers: Record<string, string[]>) =>
  async (hostname: string): Promise<ResolvedAddress[]> =>
    (answers[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

let server: Server;
let port: number;
const hits: string[] = [];
let connections = 0;
let answer: (response: import('node:http').ServerResponse) => void = (response) => response.writeHead(204).end();

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.headers.host ?? '');
    request.resume();
    request.on('end', () => answer(response));
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('guardedPost', () => {
  it('refuses names that resolve to loopback, private, link-local, shared or mapped addresses, even when one answer of several is public', async () => {
    const resolve = dns({
      'loopback.attacker.example': ['127.0.0.1'],
      'loopback6.attacker.example': ['::1'],
      'metadata.attacker.example': ['169.254.169.254'],
      'office.attacker.example': ['192.168.1.10'],
      'vpc.attacker.example': ['172.16.4.2'],
      'cgnat.attacker.example': ['100.64.0.1'],
      'mapped.attacker.example': ['::ffff:127.0.0.1'],
      'ula.attacker.example': ['fd00::1'],
      'mixed.attacker.example': ['93.184.216.34', '10.0.0.8'],
      'nothing.attacker.example': [],
    });
    for (const host of [
      'loopback.attacker.example',
      'loopback6.attacker.example',
      'metadata.attacker.example',
      'office.attacker.example',
      'vpc.attacker.example',
      'cgnat.attacker.example',
      'mapped.attacker.example',
      'ula.attacker.example',
      'mixed.attacker.example',
      'nothing.attacker.example',
    ]) {
      await expect(guardedPost(`https://${host}/hooks`, '{}', {}, { ...strict, resolve }), host).rejects.toMatchObject({
        message: expect.stringMatching(/not a public address/),
        detail: expect.stringMatching(/resolves to a|does not resolve/),
      });
    }
  });

  it('refuses the other spellings of loopback and of "any address" in a URL', async () => {
    for (const url of [
      'https://0.0.0.0/hooks',
      'https://127.1/hooks',
      'https://2130706433/hooks',
      'https://0x7f000001/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'https://[::]/hooks',
      'https://[fe80::1]/hooks',
    ]) {
      await expect(guardedPost(url, '{}', {}, strict), url).rejects.toThrow(RefusedDestinationError);
    }
    // Even in development, plain http is for the loopback names only, not for a name that resolves there.
    const resolve = dns({ 'dev.attacker.example': ['127.0.0.1'] });
    await expect(guardedPost(`http://dev.attacker.example:${port}/`, '{}', {}, { ...strict, allowLoopback: true, resolve })).rejects.toThrow(/only https/);
    expect(hits).toEqual([]);
  });

  it('connects to the address it checked: a second DNS answer (rebinding) is never asked for', async () => {
    let lookups = 0;
    // An operator's receiver inside its network, allow-listed; the attacker's DNS would answer
    // somewhere else the second time.
    const resolve = async (): Promise<ResolvedAddress[]> => {
      lookups += 1;
      return [{ address: lookups === 1 ? '127.0.0.1' : '10.9.9.9', family: 4 }];
    };
    const allowed: PostPolicy = { ...strict, allowLoopback: true, privateHosts: ['crm.internal'], resolve };
    // http is refused for any name but the loopback ones, so the pinned connection is shown over
    // https: the TLS handshake fails against this plain server, after the connection was made to
    // the checked address, which the server saw.
    const before = connections;
    await expect(guardedPost(`https://crm.internal:${port}/hooks`, '{}', {}, allowed)).rejects.toThrow();
    expect(lookups).toBe(1);
    expect(connections).toBe(before + 1);
  });

  it('bounds the whole exchange in time and reads at most maxResponseBytes of the answer', async () => {
    const loopback: PostPolicy = { ...strict, allowLoopback: true, timeoutMs: 300 };
    answer = (response) => response.writeHead(200).end('x'.repeat(100_000));
    const large = await guardedPost(`http://127.0.0.1:${port}/hooks`, '{}', {}, loopback);
    expect(large).toEqual({ statusCode: 200, body: 'x'.repeat(64) });

    answer = (response) => {
      response.writeHead(200);
      response.write('a slow answer that never ends');
    };
    const started = performance.now();
    await expect(guardedPost(`http://127.0.0.1:${port}/hooks`, '{}', {}, loopback)).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);

    answer = () => undefined;
    await expect(guardedPost(`http://127.0.0.1:${port}/hooks`, '{}', {}, loopback)).rejects.toThrow();
  });
});
