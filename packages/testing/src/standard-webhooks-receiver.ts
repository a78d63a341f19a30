import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { freePort } from './embedded-s3';

/** Standard Webhooks: a timestamp further than this from the receiver's clock is refused (replay protection). */
const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export interface ReceivedWebhook {
  id: string;
  body: string;
  /** When the receiver had the whole body (epoch ms, sub-millisecond). */
  receivedAt: number;
}

export interface StandardWebhooksReceiver {
  url: string;
  /** Requests whose signature verified, in arrival order. */
  accepted: ReceivedWebhook[];
  /** Requests refused: missing headers, stale timestamp or a signature that did not verify. */
  refused: Array<{ headers: IncomingHttpHeaders; reason: string }>;
  /** Takes the endpoint down: connections are refused until `start`. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * Verification written from the Standard Webhooks specification with node:crypto alone, so it is
 * independent of the library that signs: the signed content is "{id}.{timestamp}.{body}", the key
 * is the base64 after `whsec_`, the header is a space-separated list of `v1,<base64 HMAC-SHA256>`
 * of which one must match, compared in constant time.
 */
export function standardWebhookProblem(secret: string, headers: IncomingHttpHeaders, body: string, nowSeconds = Date.now() / 1000): string | undefined {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return 'missing webhook headers';
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) return 'timestamp outside the tolerance';
  if (!secret.startsWith('whsec_')) return 'secret without the whsec_ prefix';
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest();
  const matches = signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',', 2);
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? undefined : 'no signature matches';
}

/**
 * A customer's endpoint on loopback that checks every request with `standardWebhookProblem`:
 * 204 when it verifies, 400 otherwise (which the sender retries, so a bad signature shows).
 */
export async function startStandardWebhooksReceiver(secret: string): Promise<StandardWebhooksReceiver> {
  const port = await freePort();
  const accepted: ReceivedWebhook[] = [];
  const refused: StandardWebhooksReceiver['refused'] = [];
  let server: Server | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const listening = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const problem = standardWebhookProblem(secret, request.headers, body);
          if (problem) {
            refused.push({ headers: request.headers, reason: problem });
            response.writeHead(400).end(problem);
            return;
          }
          accepted.push({ id: request.headers['webhook-id'] as string, body, receivedAt: performance.timeOrigin + performance.now() });
          response.writeHead(204).end();
        });
      });
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => {
        server = listening;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const running = server;
      server = undefined;
      if (!running) return resolve();
      running.close(() => resolve());
      running.closeAllConnections();
    });
  await start();
  return { url: `http://127.0.0.1:${port}/hooks`, accepted, refused, stop, start };
}
