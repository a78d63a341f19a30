import { createHmac, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '@callvault/auth';
import { deliverTwilioWebhook, signTwilioForm } from '@callvault/simulator';
import { seedSuperadmin, tokenFor } from '@callvault/testing';
import { captureLogs } from '../src/capture-log';
import { runScenario, startPipeline, type Pipeline, type ScenarioTrace } from '../src/pipeline';
import { vapiMessage } from '../src/webhook-forms';

/**
 * Secrets never leave: a full simulated run (signed webhooks, fetches, transcripts, analytics)
 * plus gateway traffic (playback, download, settings with secrets, call links, bad tokens),
 * with every log line of every service captured and every response kept, then searched for
 * every secret, token, signature and signed-URL query that went by, and logs for phone numbers.
 */
const capture = captureLogs();
let pipeline: Pipeline;
let trace: ScenarioTrace;
/** Everything a caller received, minus exactly the fields whose job is to hand out a signed URL. */
const received: string[] = [];
const secrets = new Map<string, string>();
const logOnly = new Map<string, string>();
const signedUrls: string[] = [];

const remember = (what: string, value: string | undefined, where = secrets) => value && value.length >= 8 && where.set(value, what);

function keep(response: LightMyRequestResponse | { status: number; body: string }, options: { withoutUrlField?: boolean; withoutLocation?: boolean } = {}) {
  if ('headers' in response) {
    const headers = { ...response.headers };
    if (options.withoutLocation) delete headers.location;
    received.push(JSON.stringify(headers));
    const body = options.withoutUrlField ? JSON.stringify({ ...response.json(), url: undefined }) : response.body;
    received.push(body);
  } else {
    received.push(response.body);
  }
}

beforeAll(async () => {
  pipeline = await startPipeline({ logFor: capture.logger });
  const { env, gateway } = pipeline;
  trace = await runScenario(pipeline, { companies: 2, calls: 2 });
  const [first, second] = trace.companies as [ScenarioTrace['companies'][number], ScenarioTrace['companies'][number]];
  const superadmin = await seedSuperadmin(env);
  const superToken = await tokenFor(env, superadmin.subject);

  const call = async (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, options?: Parameters<typeof keep>[1]) => {
    const response = await gateway.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    keep(response, options);
    return response;
  };

  // Provider settings with secrets, as a company admin and a superadmin.
  const vapi = {
    orgId: `org-${randomBytes(6).toString('hex')}`,
    apiKey: `vapi-key-${randomBytes(12).toString('hex')}`,
    webhookSecret: `vapi-secret-${randomBytes(12).toString('hex')}`,
    webhookHmacKey: `vapi-hmac-${randomBytes(12).toString('hex')}`,
  };
  const twilio = {
    accountSid: first.accountSid,
    authToken: `rotated-${randomBytes(16).toString('hex')}`,
    apiKeySid: `SK${randomBytes(16).toString('hex')}`,
    apiKeySecret: `sk-secret-${randomBytes(12).toString('hex')}`,
  };
  pipeline.sim.vapi.addOrg({ orgId: vapi.orgId, apiKey: vapi.apiKey });
  for (const [name, value] of Object.entries(vapi)) if (name !== 'orgId') remember(`VAPI ${name}`, value);
  for (const [name, value] of Object.entries(twilio)) if (name !== 'accountSid' && name !== 'apiKeySid') remember(`Twilio ${name}`, value);
  expect((await call(first.admin.token, 'PUT', '/v1/settings/vapi', vapi)).statusCode).toBe(200);
  expect(
    (await call(superToken, 'PUT', `/v1/settings/twilio?companyId=${second.companyId}`, { accountSid: second.accountSid, authToken: `short` })).statusCode,
  ).toBe(400);
  expect((await call(first.admin.token, 'GET', '/v1/settings/vapi')).statusCode).toBe(200);
  expect((await call(superToken, 'GET', `/v1/settings/twilio?companyId=${first.companyId}`)).statusCode).toBe(200);

  // VAPI messages authenticated by the shared secret and by HMAC; a forged Twilio callback.
  const status = JSON.stringify(vapiMessage('status-update', vapi.orgId));
  const timestamp = String(Date.now());
  const vapiSignature = createHmac('sha256', vapi.webhookHmacKey).update(`${timestamp}.${status}`).digest('hex');
  remember('VAPI x-signature', vapiSignature);
  for (const headers of <Array<Record<string, string>>>[
    { 'x-vapi-secret': vapi.webhookSecret },
    { authorization: `Bearer ${vapi.webhookSecret}` },
    { 'x-timestamp': timestamp, 'x-signature': vapiSignature },
    { 'x-vapi-secret': 'wrong-secret-value' },
  ]) {
    const response = await fetch(`${pipeline.ingestUrl}/webhooks/vapi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: status,
    });
    keep({ status: response.status, body: await response.text() });
  }
  const forged = pipeline.sim.state.addRecording(second.accountSid);
  const forgedParams = pipeline.sim.recordingCompletedParams(forged);
  remember('forged X-Twilio-Signature', signTwilioForm(`${second.authToken}x`, `${env.config.PUBLIC_BASE_URL}/webhooks/twilio/recording-status`, forgedParams));
  keep(
    await deliverTwilioWebhook({
      publicBaseUrl: env.config.PUBLIC_BASE_URL,
      targetBaseUrl: pipeline.ingestUrl,
      path: '/webhooks/twilio/recording-status',
      authToken: second.authToken,
      params: forgedParams,
      tamper: 'wrong-token',
    }),
  );

  // The dashboard: lists, details, playback, download, transcripts, call links, stats, search.
  for (const company of trace.companies) {
    const list = await call(company.agent.token, 'GET', '/v1/recordings?limit=10');
    for (const item of list.json().items as Array<{ id: string }>) {
      const playback = await call(company.agent.token, 'GET', `/v1/recordings/${item.id}/playback`, undefined, { withoutUrlField: true });
      signedUrls.push(playback.json().url);
      const download = await call(company.admin.token, 'GET', `/v1/recordings/${item.id}/download`, undefined, { withoutLocation: true });
      signedUrls.push(String(download.headers.location));
      await call(company.agent.token, 'GET', `/v1/recordings/${item.id}`);
      await call(company.agent.token, 'GET', `/v1/recordings/${item.id}/transcript`);
    }
    const link = await call(company.agent.token, 'POST', '/v1/call-links', {});
    remember('a signed tenant tag', link.json().vapi?.assistantOverrides?.metadata?.callvault, logOnly);
    await call(company.admin.token, 'GET', '/v1/recordings/stats');
    await call(company.admin.token, 'GET', '/v1/search?q=hello');
    await call(company.admin.token, 'GET', '/v1/audit-events');
    await call(company.agent.token, 'GET', '/v1/me');
  }
  await call(superToken, 'GET', '/v1/webhook-events');

  // Bad tokens: signed with another secret, expired, garbage.
  const foreign = await mintToken({ secret: randomBytes(32).toString('base64url'), subject: first.agent.subject, ttlSeconds: 600 });
  const expired = await mintToken({ secret: env.config.AUTH_JWT_SECRET!, subject: first.agent.subject, ttlSeconds: -60 });
  for (const token of [foreign, expired, 'not.a.jwt-at-all']) await call(token, 'GET', '/v1/recordings');

  for (const company of trace.companies) remember('Twilio auth token', company.authToken);
  for (const [name, value] of [
    ['SECRETS_KEY', env.config.SECRETS_KEY],
    ['TAG_SIGNING_KEY', env.config.TAG_SIGNING_KEY],
    ['AUTH_JWT_SECRET', env.config.AUTH_JWT_SECRET],
  ] as const) {
    remember(name, value);
    remember(`${name} (key part)`, value?.split(':').at(-1));
  }
  for (const token of [superToken, foreign, expired, ...trace.companies.flatMap((company) => [company.agent.token, company.admin.token])]) {
    remember('a JWT', token);
    remember('a JWT signature', token.split('.')[2]);
  }
  for (const signature of trace.signatures) remember('an X-Twilio-Signature', signature);
  for (const url of signedUrls) {
    const parsed = new URL(url);
    remember('a signed URL query', parsed.search.slice(1));
    remember('an X-Amz-Signature', parsed.searchParams.get('X-Amz-Signature') ?? parsed.searchParams.get('token') ?? undefined);
  }
}, 120_000);

afterAll(async () => pipeline?.close());

const findings = (texts: string[], tokens: Map<string, string>) =>
  texts.flatMap((text) => [...tokens].filter(([value]) => text.includes(value)).map(([, what]) => `${what} in: ${text.slice(0, 240)}`));

describe('secrets in logs and responses', () => {
  it('captured a real run: logs from every service, signed URLs, settings', () => {
    const names = new Set(capture.lines.map((line) => JSON.parse(line).name));
    expect([...names].sort()).toEqual(expect.arrayContaining(['gateway', 'ingest', 'recording-fetcher']));
    expect(signedUrls.length).toBeGreaterThanOrEqual(8);
    expect(signedUrls.every((url) => /X-Amz-Signature=|token=/.test(url))).toBe(true);
    expect(secrets.size).toBeGreaterThan(20);
  });

  it('writes no secret, JWT, signature, signed-URL query or tenant tag to any log line', () => {
    expect(findings(capture.lines, new Map([...secrets, ...logOnly]))).toEqual([]);
  });

  it('returns no secret, JWT, signature or signed-URL query in any response (but the URL a playback or download hands out)', () => {
    expect(findings(received, secrets)).toEqual([]);
  });

  it('writes no full phone number to any log line', () => {
    const numbers = new Map(
      trace.phoneNumbers.flatMap(
        (number) =>
          [
            [number, `phone number ${number}`],
            [number.slice(1), `phone number ${number} (digits)`],
          ] as Array<[string, string]>,
      ),
    );
    expect(findings(capture.lines, numbers)).toEqual([]);
  });
});
