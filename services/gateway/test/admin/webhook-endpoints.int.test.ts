import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCompany } from '@callvault/db';
import { DISABLE_AFTER_FAILURES, guardedPost, processWebhookDelivery, recordOutboundEvent, type PostPolicy } from '@callvault/outbound-events';
import type { JobContext } from '@callvault/queue';
import { createAdminWorld, type AdminWorld } from './admin-test-kit';

let world: AdminWorld;

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on loopback answering with `status()`, keeping what it got. */
async function receiver(status: () => number, headers: Record<string, string> = {}): Promise<{ url: string; got: Received[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      got.push({ headers: request.headers, body });
      response.writeHead(status(), headers).end('thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/hooks`, got, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The Standard Webhooks check written from the specification, independently of the library that
 * signs: HMAC-SHA256 of "{id}.{timestamp}.{body}" with the base64 key after `whsec_`.
 */
function verifiesStandardWebhook(secret: string, received: Received): boolean {
  const id = received.headers['webhook-id'] as string;
  const timestamp = received.headers['webhook-timestamp'] as string;
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${id}.${timestamp}.${received.body}`)
    .digest();
  return String(received.headers['webhook-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

const policy: PostPolicy = { allowLoopback: true, privateHosts: [], timeoutMs: 2_000, maxResponseBytes: 4_096 };
const context = (attempt: number, attempts = 12): JobContext => ({
  job: { attemptsMade: attempt - 1, opts: { attempts } } as JobContext['job'],
  log: world.env.log,
  signal: new AbortController().signal,
});
const deliver = (companyId: string, deliveryId: string, attempt = 1) =>
  processWebhookDelivery({ db: world.env.db, box: world.env.box, policy }, { companyId, deliveryId }, context(attempt));

async function deliveryIdsOf(endpointId: string): Promise<string[]> {
  const rows = await world.env.ownerDb.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpointId).orderBy('created_at').execute();
  return rows.map((row) => row.id);
}

beforeAll(async () => {
  world = await createAdminWorld();
});
afterAll(async () => world?.close());

describe('outbound webhooks', () => {
  it('deliver each event signed per Standard Webhooks, with the same webhook-id on every attempt until one succeeds', async () => {
    let answer = 503;
    const crm = await receiver(() => answer);
    try {
      const created = await world.call(world.tokens.adminA, 'POST', '/v1/webhook-endpoints', { url: crm.url, events: ['recording.stored'] });
      expect(created.statusCode, created.body).toBe(201);
      const endpoint = created.json();
      expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      const stored = await world.env.ownerDb.selectFrom('webhook_endpoints').select('secret_sealed').where('id', '=', endpoint.id).executeTakeFirstOrThrow();
      expect(stored.secret_sealed).not.toContain(endpoint.secret.slice(6));
      expect(JSON.stringify((await world.call(world.tokens.adminA, 'GET', '/v1/webhook-endpoints')).json())).not.toContain(endpoint.secret);

      // The event is recorded in the transaction of the change it reports (as the fetcher does); other types are not sent.
      const recordingId = '11111111-2222-4333-8444-555555555555';
      const storedEvent = { recordingId, callId: '11111111-2222-4333-8444-555555555550', format: 'mp3', sizeBytes: 1234, sha256: 'ab'.repeat(32) };
      await withCompany(world.env.db, world.a.id, async (tx) => {
        await recordOutboundEvent(tx, 'recording.stored', storedEvent);
        await recordOutboundEvent(tx, 'transcript.completed', { recordingId, source: 'twilio', language: 'en', redactionCount: 0 });
      });
      const [deliveryId, ...others] = await deliveryIdsOf(endpoint.id);
      expect(others).toEqual([]);
      const job = await world.env.ownerDb.selectFrom('job_outbox').select(['queue', 'job_id']).where('job_id', '=', `deliver-${deliveryId}`).executeTakeFirst();
      expect(job).toEqual({ queue: 'webhook-delivery', job_id: `deliver-${deliveryId}` });

      await expect(deliver(world.a.id, deliveryId!, 1)).rejects.toThrow(/503/);
      answer = 204;
      expect(await deliver(world.a.id, deliveryId!, 2)).toEqual({ outcome: 'delivered', statusCode: 204 });
      expect(crm.got).toHaveLength(2);
      expect(crm.got.map((request) => request.headers['webhook-id'])).toEqual([deliveryId, deliveryId]);
      for (const request of crm.got) expect(verifiesStandardWebhook(endpoint.secret, request)).toBe(true);
      expect(verifiesStandardWebhook(endpoint.secret, { ...crm.got[1]!, body: crm.got[1]!.body.replace('1234', '1235') })).toBe(false);
      const body = JSON.parse(crm.got[1]!.body);
      expect(body).toEqual({
        type: 'recording.stored',
        timestamp: expect.any(String),
        data: { companyId: world.a.id, ...storedEvent },
      });

      const deliveries = (await world.call(world.tokens.adminA, 'GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).json();
      expect(deliveries.items[0]).toMatchObject({
        id: deliveryId,
        status: 'delivered',
        attempts: [
          { attempt: 1, statusCode: 503, responseExcerpt: 'thanks' },
          { attempt: 2, statusCode: 204 },
        ],
      });
      expect(await deliver(world.a.id, deliveryId!, 3)).toEqual({ outcome: 'skipped', reason: 'already delivered' });

      // A redelivery asked for by a person: the same delivery (webhook-id), a new job.
      const again = await world.call(world.tokens.adminA, 'POST', `/v1/webhook-endpoints/${endpoint.id}/deliveries/${deliveryId}/redeliver`);
      expect(again.statusCode).toBe(202);
      expect(await deliver(world.a.id, deliveryId!, 1)).toEqual({ outcome: 'delivered', statusCode: 204 });
      expect(crm.got.at(-1)!.headers['webhook-id']).toBe(deliveryId);
    } finally {
      await crm.close();
    }
  });

  it('disable an endpoint that keeps failing, say why, and deliver nothing more until it is re-enabled', async () => {
    const down = await receiver(() => 500);
    try {
      const endpoint = (await world.call(world.tokens.adminA, 'POST', '/v1/webhook-endpoints', { url: down.url, events: ['recording.failed'] })).json();
      await withCompany(world.env.db, world.a.id, (tx) =>
        recordOutboundEvent(tx, 'recording.failed', {
          recordingId: '11111111-2222-4333-8444-555555555556',
          callId: '11111111-2222-4333-8444-555555555550',
          reason: 'gone',
        }),
      );
      const [deliveryId] = await deliveryIdsOf(endpoint.id);
      for (let attempt = 1; attempt <= DISABLE_AFTER_FAILURES; attempt += 1) await expect(deliver(world.a.id, deliveryId!, attempt)).rejects.toThrow();
      const listed = (await world.call(world.tokens.adminA, 'GET', '/v1/webhook-endpoints'))
        .json()
        .items.find((item: { id: string }) => item.id === endpoint.id);
      expect(listed).toMatchObject({ enabled: false, consecutiveFailures: DISABLE_AFTER_FAILURES, disabledReason: expect.stringContaining('HTTP 500') });
      expect(await deliver(world.a.id, deliveryId!, 1)).toEqual({ outcome: 'skipped', reason: 'the endpoint is disabled' });
      const reenabled = await world.call(world.tokens.adminA, 'PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { enabled: true });
      expect(reenabled.json()).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
    } finally {
      await down.close();
    }
  });

  it('refuse destinations an attacker would aim at: private, loopback and link-local addresses, http, credentials, and redirects are not followed', async () => {
    const strict: PostPolicy = { ...policy, allowLoopback: false };
    for (const url of [
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.8/hooks',
      'https://127.0.0.1/hooks',
      'https://[::1]/hooks',
      'https://localhost/hooks',
      'http://crm.example/hooks',
    ]) {
      await expect(guardedPost(url, '{}', {}, strict), url).rejects.toThrow(/not a public address|only https/);
    }
    const target = await receiver(() => 200);
    const redirecting = await receiver(() => 302, { location: target.url });
    try {
      expect(await guardedPost(redirecting.url, '{}', {}, policy)).toMatchObject({ statusCode: 302 });
      expect(target.got).toHaveLength(0);
    } finally {
      await target.close();
      await redirecting.close();
    }
    for (const url of ['http://crm.example/hooks', 'https://user:pass@crm.example/hooks', 'not a url', 'ftp://crm.example/x']) {
      const response = await world.call(world.tokens.adminA, 'POST', '/v1/webhook-endpoints', { url, events: ['recording.stored'] });
      expect(response.statusCode, url).toBe(400);
    }
  });

  it('belong to their company: another company admin gets 404, agents and managers 403', async () => {
    const endpoint = (
      await world.call(world.tokens.adminA, 'POST', '/v1/webhook-endpoints', { url: 'https://crm.example/a', events: ['call.completed'] })
    ).json();
    for (const [method, path, body] of [
      ['PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { url: 'https://attacker.example/steal' }],
      ['DELETE', `/v1/webhook-endpoints/${endpoint.id}`, undefined],
      ['GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`, undefined],
      ['POST', `/v1/webhook-endpoints/${endpoint.id}/deliveries/${endpoint.id}/redeliver`, undefined],
    ] as const) {
      expect((await world.call(world.tokens.adminB, method, path, body)).statusCode, `${method} ${path}`).toBe(404);
      expect((await world.call(world.tokens.managerA, method, path, body)).statusCode, `${method} ${path}`).toBe(403);
    }
    expect((await world.call(world.tokens.adminB, 'GET', '/v1/webhook-endpoints')).json().items.map((item: { id: string }) => item.id)).not.toContain(
      endpoint.id,
    );
    expect(
      (await world.call(world.tokens.agentA, 'POST', '/v1/webhook-endpoints', { url: 'https://crm.example/x', events: ['call.completed'] })).statusCode,
    ).toBe(403);
    const unchanged = await world.env.ownerDb.selectFrom('webhook_endpoints').select('url').where('id', '=', endpoint.id).executeTakeFirstOrThrow();
    expect(unchanged.url).toBe('https://crm.example/a');
  });
});
