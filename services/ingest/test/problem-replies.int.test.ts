import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type IngestHarness } from './ingest-harness';

/**
 * Ingest's own error replies: the statuses the provider contract fixes (403 Twilio, 401 VAPI,
 * 413, 415) with RFC 9457 problem bodies, and X-Request-Id on every answer.
 */
let ingest: IngestHarness;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(async () => ingest?.close());

async function expectProblem(response: Response, status: number, code: string, path: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  const body = (await response.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']);
  expect(body).toMatchObject({ type: `https://callvault.dev/errors/${code}`, status, code, instance: path, requestId: response.headers.get('x-request-id') });
  return body;
}

const form = (headers: Record<string, string>, body: string) =>
  fetch(`${ingest.url}/webhooks/twilio/recording-status?cv=tag`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });

describe('ingest error replies', () => {
  it('answers an unsigned Twilio callback 403 and an uncredentialed VAPI message 401, as problems', async () => {
    await expectProblem(await form({}, 'AccountSid=AC1'), 403, 'invalid_signature', '/webhooks/twilio/recording-status');
    const vapi = await fetch(`${ingest.url}/webhooks/vapi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await expectProblem(vapi, 401, 'unauthorized', '/webhooks/vapi');
  });

  it('answers a body too large 413 and a wrong content type 415', async () => {
    await expectProblem(
      await form({ 'x-twilio-signature': 'c2ln' }, `a=${'x'.repeat(65 * 1024)}`),
      413,
      'payload_too_large',
      '/webhooks/twilio/recording-status',
    );
    const csv = await fetch(`${ingest.url}/webhooks/twilio/call-status`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-twilio-signature': 'c2ln' },
      body: 'a,b',
    });
    await expectProblem(csv, 415, 'unsupported_media_type', '/webhooks/twilio/call-status');
  });

  it('answers an unknown route 404, and carries X-Request-Id everywhere, keeping a safe one the caller sent', async () => {
    await expectProblem(await fetch(`${ingest.url}/webhooks/nowhere`, { method: 'POST' }), 404, 'not_found', '/webhooks/nowhere');
    const health = await fetch(`${ingest.url}/healthz`, { headers: { 'x-request-id': 'twilio-retry-7' } });
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBe('twilio-retry-7');
    const generated = await fetch(`${ingest.url}/metrics`, { headers: { 'x-request-id': 'not safe!' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
