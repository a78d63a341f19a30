import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverVapiWebhook, encodeForm, signTwilioForm } from '@callvault/simulator';
import { fakeSid, fakeTwilioAccountSid, seedCompany, seedTwilioAccount, seedVapiAccount, twilioFormFixture } from '@callvault/testing';
import { metricSample, startIngest, type IngestHarness } from './ingest-harness';

const FIXTURES = new URL('../../../packages/testing/fixtures/', import.meta.url);
const recordingCompleted = twilioFormFixture('recording-status-completed');
const callCompleted = twilioFormFixture('call-status-completed');
const PATH = '/webhooks/twilio/recording-status';

let ingest: IngestHarness;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(async () => ingest?.close());

const metrics = async () => (await fetch(`${ingest.url}/metrics`)).text();
const eventsOf = (accountId: string) => ingest.env.ownerDb.selectFrom('webhook_events').selectAll().where('external_account_id', '=', accountId).execute();

describe('requests without any credential', () => {
  it('are refused before their body is read: an unsigned 1 MiB Twilio form is 403 (not 413), a 9 MiB VAPI body without a credential 401', async () => {
    const form = await fetch(`${ingest.url}${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `a=${'x'.repeat(1024 * 1024)}`,
    });
    expect(form.status).toBe(403);
    const json = await fetch(`${ingest.url}/webhooks/vapi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"message":{"type":"${'x'.repeat(9 * 1024 * 1024)}"}}`,
    });
    expect(json.status).toBe(401);
  });

  it('never turn a value of an unauthenticated body into a metric label', async () => {
    const planted = `planted-label-${randomBytes(4).toString('hex')}`;
    const body = { message: { type: planted, call: { id: randomUUID(), orgId: `org-${randomBytes(4).toString('hex')}` } } };
    expect((await deliverVapiWebhook({ url: `${ingest.url}/webhooks/vapi`, body, credential: { kind: 'secret', secret: 'not-registered' } })).status).toBe(401);
    expect((await deliverVapiWebhook({ url: `${ingest.url}/webhooks/vapi`, body, credential: { kind: 'none' } })).status).toBe(401);
    const text = await metrics();
    expect(text).not.toContain(planted);
    expect(metricSample(text, 'callvault_webhooks_total', { provider: 'vapi', type: 'unknown', outcome: 'unauthenticated' })).toBeGreaterThanOrEqual(2);
  });
});

describe('a flood of forged webhooks', () => {
  it('for a known account or unknown ones makes at most one credential read per account per second, not one per request', async () => {
    const company = await seedCompany(ingest.env);
    const known = await seedTwilioAccount(ingest.env, company.id);
    const unknown = fakeTwilioAccountSid();
    const reads = async () => metricSample(await metrics(), 'callvault_provider_credential_reads_total', { provider: 'twilio' }) ?? 0;
    const before = await reads();
    const started = performance.now();
    const forged = (accountSid: string) => {
      const params = { ...recordingCompleted, AccountSid: accountSid, RecordingSid: fakeSid('RE') };
      return fetch(`${ingest.url}${PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilioForm('forged-token', `${ingest.env.config.PUBLIC_BASE_URL}${PATH}`, params),
        },
        body: encodeForm(params),
      });
    };
    const statuses: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => forged(index % 2 === 0 ? known.external_id : unknown)));
      statuses.push(...answers.map((answer) => answer.status));
    }
    const seconds = Math.ceil((performance.now() - started) / 1000);
    const made = (await reads()) - before;
    expect(new Set(statuses)).toEqual(new Set([403]));
    // Each account: a first read, then at most one refresh per second of the flood.
    expect(made).toBeLessThanOrEqual(2 * (1 + seconds));
    expect(await eventsOf(known.external_id)).toEqual([]);
  });
});

describe('an authentic webhook carrying a NUL character', () => {
  it('is answered 400 and stored once as rejected, with the NUL replaced (a retry is a duplicate, never an endless 503)', async () => {
    const company = await seedCompany(ingest.env);
    const account = await seedTwilioAccount(ingest.env, company.id);
    const params = { ...recordingCompleted, AccountSid: account.external_id, RecordingSid: fakeSid('RE'), RecordingSource: 'Dial\u0000Verb' };
    const send = () =>
      fetch(`${ingest.url}${PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilioForm(account.authToken, `${ingest.env.config.PUBLIC_BASE_URL}${PATH}`, params),
        },
        body: encodeForm(params),
      });
    const first = await send();
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({ status: 400, code: 'malformed_event', detail: expect.stringContaining('NUL') });
    expect((await send()).status).toBe(400);
    const events = await eventsOf(account.external_id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 'rejected', company_id: null, authenticated_company_ids: [company.id] });
    expect((events[0]!.payload as Record<string, string>).RecordingSource).toBe('Dial\uFFFDVerb');

    const vapi = await seedVapiAccount(ingest.env, company.id, { webhookSecret: 'org-secret-1' });
    const report = JSON.parse(readFileSync(new URL('vapi/end-of-call-report.json', FIXTURES), 'utf8'));
    report.message.call = { ...report.message.call, id: randomUUID(), orgId: vapi.orgId };
    report.message.analysis.summary = 'the caller said \u0000 nothing';
    const answer = await deliverVapiWebhook({ url: `${ingest.url}/webhooks/vapi`, body: report, credential: { kind: 'secret', secret: 'org-secret-1' } });
    expect(answer.status).toBe(400);
    expect(await eventsOf(vapi.orgId)).toEqual([expect.objectContaining({ status: 'rejected', event_type: 'end-of-call-report' })]);
  });
});

describe('form fields', () => {
  it('named __proto__ or constructor are plain fields of a null-prototype object, signed and stored as sent', async () => {
    const company = await seedCompany(ingest.env);
    const account = await seedTwilioAccount(ingest.env, company.id);
    const path = '/webhooks/twilio/call-status';
    // On a plain object `__proto__` would be swallowed (and the signature, computed over it, fail).
    const body = `${encodeForm({ ...callCompleted, AccountSid: account.external_id, CallSid: fakeSid('CA') })}&__proto__=polluted&constructor=x`;
    const signed = Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(new URLSearchParams(body)));
    const response = await fetch(`${ingest.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioForm(account.authToken, `${ingest.env.config.PUBLIC_BASE_URL}${path}`, signed),
      },
      body,
    });
    expect(response.status).toBe(204);
    const [event] = await eventsOf(account.external_id);
    expect(Object.keys(event!.payload)).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
