import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTenantTag } from '@callvault/crypto';
import { encodeForm, signTwilioForm } from '@callvault/simulator';
import { createTestEnvironment, seedCompany, seedTwilioAccount, seedUser, seedVapiAccount, type TestEnvironment } from '@callvault/testing';
import { settings } from '../src/settings';
import { startIngest, twilioForm, vapiMessage, type RunningIngest, type TwilioKind } from '../src/webhook-forms';

/**
 * Webhook authentication: a request that is not exactly what the registered account signed is
 * refused (Twilio 403, VAPI 401) and leaves no row behind; a tenant tag that fails its HMAC is
 * never trusted, even inside a correctly signed callback.
 */
let env: TestEnvironment;
let ingest: RunningIngest;
const a = { companyId: '', accountSid: '', authToken: '', orgId: '', secret: `secret-a-${randomBytes(8).toString('hex')}`, agentId: '' };
const b = {
  companyId: '',
  accountSid: '',
  authToken: '',
  orgId: '',
  hmacKey: `hmac-b-${randomBytes(8).toString('hex')}`,
  secret: `secret-b-${randomBytes(8).toString('hex')}`,
};

beforeAll(async () => {
  env = await createTestEnvironment();
  ingest = await startIngest(env);
  for (const [company, vapi] of [
    [a, { webhookSecret: a.secret }],
    [b, { webhookSecret: b.secret, webhookHmacKey: b.hmacKey }],
  ] as const) {
    company.companyId = (await seedCompany(env)).id;
    const twilio = await seedTwilioAccount(env, company.companyId);
    Object.assign(company, { accountSid: twilio.external_id, authToken: twilio.authToken, orgId: (await seedVapiAccount(env, company.companyId, vapi)).orgId });
  }
  a.agentId = (await seedUser(env, a.companyId, 'agent')).id;
}, 60_000);

afterAll(async () => {
  await ingest?.close();
  await env?.close();
});

/** Row counts once the effects of everything acknowledged so far have committed. */
const counts = async () => {
  await ingest.settled();
  const count = (table: 'webhook_events' | 'calls' | 'recordings' | 'transcripts') =>
    env.ownerDb
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n));
  return { events: await count('webhook_events'), calls: await count('calls'), recordings: await count('recordings'), transcripts: await count('transcripts') };
};

/** Posts a form as Twilio would, with whatever signature header the attacker chose (or none). */
async function postTwilio(pathAndQuery: string, params: Record<string, string>, signature: string | undefined, headers: Record<string, string> = {}) {
  const response = await fetch(`${ingest.url}${pathAndQuery}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }), ...headers },
    body: encodeForm(params),
  });
  return { status: response.status, body: await response.text() };
}

const signed = (token: string, pathAndQuery: string, params: Record<string, string>, base = env.config.PUBLIC_BASE_URL) =>
  signTwilioForm(token, `${base}${pathAndQuery}`, params);

const KINDS: TwilioKind[] = ['recording-status', 'call-status', 'transcription'];

describe.each(KINDS)('POST /webhooks/twilio/%s', (kind) => {
  const path = `/webhooks/twilio/${kind}`;

  it('accepts the genuine callback (control)', async () => {
    const params = twilioForm(kind, a.accountSid);
    expect((await postTwilio(path, params, signed(a.authToken, path, params))).status).toBe(204);
  });

  it('refuses forged, replayed-with-changes, wrong-account, wrong-URL, proxy-header and unsigned callbacks with 403 and stores nothing', async () => {
    const before = await counts();
    const params = twilioForm(kind, a.accountSid);
    const attacks: Array<[string, () => Promise<{ status: number; body: string }>]> = [
      ['forged signature', () => postTwilio(path, params, randomBytes(20).toString('base64'))],
      ['missing signature', () => postTwilio(path, params, undefined)],
      ['empty signature', () => postTwilio(path, params, '')],
      ["signed with another registered company's token", () => postTwilio(path, params, signed(b.authToken, path, params))],
      [
        'AccountSid of another company, signed by the first',
        () => postTwilio(path, { ...params, AccountSid: b.accountSid }, signed(a.authToken, path, params)),
      ],
      ['signed over another path', () => postTwilio(path, params, signed(a.authToken, '/webhooks/twilio/other', params))],
      [
        'signed over another host, sent with that Host and X-Forwarded-Host',
        () =>
          postTwilio(path, params, signed(a.authToken, path, params, 'https://evil.example.com'), {
            'x-forwarded-host': 'evil.example.com',
            'x-forwarded-proto': 'https',
          }),
      ],
      ['signed without the query it was sent with', () => postTwilio(`${path}?cv=x`, params, signed(a.authToken, path, params))],
      ['an unknown account', () => postTwilio(path, { ...params, AccountSid: `AC${randomBytes(16).toString('hex')}` }, signed(a.authToken, path, params))],
    ];
    for (const [name, attack] of attacks) {
      const response = await attack();
      expect(response.status, name).toBe(403);
      expect(JSON.parse(response.body), name).toMatchObject({ status: 403, code: 'invalid_signature' });
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses any single field changed after signing (property)', async () => {
    const before = await counts();
    const params = twilioForm(kind, a.accountSid);
    const signature = signed(a.authToken, path, params);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(params)),
        fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('completed', '999', '+15550000000')),
        async (field, value) => {
          fc.pre(params[field] !== value && !(field === 'AccountSid'));
          expect((await postTwilio(path, { ...params, [field]: value }, signature)).status).toBe(403);
        },
      ),
      { numRuns: settings.smallRuns / 3, seed: settings.seed },
    );
    expect((await postTwilio(path, { ...params, Extra: 'added' }, signature)).status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe('POST /webhooks/vapi', () => {
  const send = async (body: unknown, headers: Record<string, string>, raw?: string) => {
    const response = await fetch(`${ingest.url}/webhooks/vapi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: raw ?? JSON.stringify(body),
    });
    return response.status;
  };
  const hmac = (key: string, raw: string, timestamp = String(Date.now())) => ({
    'x-timestamp': timestamp,
    'x-signature': createHmac('sha256', key).update(`${timestamp}.${raw}`).digest('hex'),
  });

  it('accepts the genuine messages (control)', async () => {
    expect(await send(vapiMessage('status-update', a.orgId), { 'x-vapi-secret': a.secret })).toBe(204);
    const raw = JSON.stringify(vapiMessage('status-update', b.orgId));
    expect(await send(undefined, hmac(b.hmacKey, raw), raw)).toBe(204);
  });

  it('refuses forged, replayed-with-changes, wrong-account and missing credentials with 401 and stores nothing', async () => {
    const before = await counts();
    const message = vapiMessage('end-of-call-report', b.orgId);
    const raw = JSON.stringify(message);
    const changed = JSON.stringify({ ...message, message: { ...message.message, endedReason: 'changed' } });
    const attacks: Array<[string, Promise<number>]> = [
      ['forged secret', send(message, { 'x-vapi-secret': 'not-the-secret' })],
      ['forged bearer', send(message, { authorization: 'Bearer not-the-secret' })],
      ['forged HMAC', send(undefined, { 'x-timestamp': String(Date.now()), 'x-signature': randomBytes(32).toString('hex') }, raw)],
      ['HMAC of the original, one field changed', send(undefined, hmac(b.hmacKey, raw), changed)],
      ['HMAC with a stale timestamp', send(undefined, hmac(b.hmacKey, raw, String(Date.now() - 10 * 60_000)), raw)],
      ["another org's secret with this orgId", send(message, { 'x-vapi-secret': a.secret })],
      ["another org's HMAC key", send(undefined, hmac(`${b.hmacKey}x`, raw), raw)],
      ['no credential', send(message, {})],
      ['an unknown org', send(vapiMessage('end-of-call-report', 'org-nobody'), { 'x-vapi-secret': b.secret })],
    ];
    for (const [name, attack] of attacks) expect(await attack, name).toBe(401);
    expect(await counts()).toEqual(before);
  });
});

describe('signed tenant tags', () => {
  const path = '/webhooks/twilio/call-status';
  const deliverWithTag = async (tag: string) => {
    const params = twilioForm('call-status', a.accountSid);
    const pathAndQuery = `${path}?cv=${encodeURIComponent(tag)}`;
    expect((await postTwilio(pathAndQuery, params, signed(a.authToken, pathAndQuery, params))).status).toBe(204);
    await ingest.settled();
    return env.ownerDb.selectFrom('calls').select(['company_id', 'owner_user_id']).where('twilio_call_sid', '=', params.CallSid!).executeTakeFirstOrThrow();
  };
  const tag = () => signTenantTag(env.config.TAG_SIGNING_KEY!, { companyId: a.companyId, ownerUserId: a.agentId, expiresAt: new Date(Date.now() + 3600_000) });

  it("trusts a genuine tag (control): the call is owned by the tag's user", async () => {
    expect(await deliverWithTag(tag())).toEqual({ company_id: a.companyId, owner_user_id: a.agentId });
  });

  it('ignores a tag altered by one byte: the call falls back to the account, owned by nobody', async () => {
    const genuine = tag();
    const alphabet = 'abcdef0123456789-_.ABCXYZ';
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: genuine.length - 1 }), fc.constantFrom(...alphabet), async (position, character) => {
        fc.pre(genuine[position] !== character);
        const altered = `${genuine.slice(0, position)}${character}${genuine.slice(position + 1)}`;
        expect(await deliverWithTag(altered)).toEqual({ company_id: a.companyId, owner_user_id: null });
      }),
      { numRuns: settings.smallRuns / 2, seed: settings.seed },
    );
  });

  it("ignores a genuine tag of another company on this company's account", async () => {
    const foreign = signTenantTag(env.config.TAG_SIGNING_KEY!, { companyId: b.companyId, ownerUserId: null, expiresAt: new Date(Date.now() + 3600_000) });
    expect(await deliverWithTag(foreign)).toEqual({ company_id: a.companyId, owner_user_id: null });
  });
});
