import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { encodeForm, signTwilioForm } from '@callvault/simulator';
import { fakeSid, seedCompany, seedTwilioAccount } from '@callvault/testing';
import { metricSample, startIngest, type IngestHarness } from './ingest-harness';

const FIXTURE = new URLSearchParams(
  readFileSync(new URL('../../../packages/testing/fixtures/twilio/recording-status-completed.form', import.meta.url), 'utf8').trim(),
);

let ingest: IngestHarness;

beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(async () => ingest?.close());

/** Posts a callback and waits for its effects and their jobs, which commit after the reply. */
async function post(path: string, params: Record<string, string>, authToken: string) {
  const signature = signTwilioForm(authToken, `${ingest.env.config.PUBLIC_BASE_URL}${path}`, params);
  const response = await ingest.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    payload: encodeForm(params),
  });
  await ingest.settled();
  return response;
}

describe('POST /webhooks/twilio/recording-status', () => {
  it('stores a signed completed callback once, attributes it by AccountSid and enqueues one fetch', async () => {
    const company = await seedCompany(ingest.env);
    const account = await seedTwilioAccount(ingest.env, company.id);
    const params = { ...Object.fromEntries(FIXTURE), AccountSid: account.external_id, RecordingSid: fakeSid('RE'), CallSid: fakeSid('CA') };

    const first = await post('/webhooks/twilio/recording-status', params, account.authToken);
    const second = await post('/webhooks/twilio/recording-status', params, account.authToken);
    expect(first.statusCode).toBe(204);
    expect(second.statusCode).toBe(204);

    const events = await ingest.env.ownerDb.selectFrom('webhook_events').selectAll().where('external_account_id', '=', account.external_id).execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      company_id: company.id,
      status: 'accepted',
      idempotency_key: `twilio:${account.external_id}:${params.RecordingSid}:completed`,
    });
    expect(events[0]!.applied_at).not.toBeNull();

    const recordings = await ingest.env.ownerDb.selectFrom('recordings').selectAll().where('provider_recording_id', '=', params.RecordingSid).execute();
    expect(recordings).toHaveLength(1);
    expect(recordings[0]).toMatchObject({ company_id: company.id, status: 'pending', duration_seconds: 187, channels: 2 });

    const job = await ingest.producer.queue('recording-fetch').getJob(`fetch-${recordings[0]!.id}`);
    expect(job?.data).toEqual({ companyId: company.id, recordingId: recordings[0]!.id });

    const metrics = (await ingest.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricSample(metrics, 'callvault_webhooks_total', { provider: 'twilio', type: 'recording-status', outcome: 'accepted' })).toBe(1);
    expect(metricSample(metrics, 'callvault_webhooks_total', { provider: 'twilio', type: 'recording-status', outcome: 'duplicate' })).toBe(1);
    expect(metricSample(metrics, 'callvault_event_store_seconds_count', { provider: 'twilio', outcome: 'accepted' })).toBe(1);
    expect(
      metricSample(metrics, 'callvault_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/webhooks/twilio/recording-status',
        status_code: '204',
      }),
    ).toBe(2);
  });

  it('refuses a forged signature with 403 and stores nothing', async () => {
    const company = await seedCompany(ingest.env);
    const account = await seedTwilioAccount(ingest.env, company.id);
    const params = { ...Object.fromEntries(FIXTURE), AccountSid: account.external_id, RecordingSid: fakeSid('RE') };
    const forged = await post('/webhooks/twilio/recording-status', params, 'not-the-token');
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ status: 403, code: 'invalid_signature' });
    const stored = await ingest.env.ownerDb.selectFrom('webhook_events').select('id').where('external_account_id', '=', account.external_id).execute();
    expect(stored).toHaveLength(0);
  });
});
