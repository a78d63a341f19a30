import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@callvault/simulator';
import { createTwilioRest, createVapiRest, InsecureTransportError, ProviderRejectedError, ProviderUnavailableError } from '../src/index';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(async () => {
  await sim?.close();
});

describe('the Twilio account check', () => {
  it("confirms an account's own token and API key, and refuses another's, a made-up token or an unknown account", async () => {
    const account = sim.state.addAccount();
    account.apiKeys.set(`SK${'a'.repeat(32)}`, 'key-secret');
    const other = sim.state.addAccount();
    const rest = (credentials: { accountSid: string; authToken: string; apiKeySid?: string; apiKeySecret?: string }) =>
      createTwilioRest({ baseUrl: sim.baseUrl, credentials });

    await expect(rest({ accountSid: account.accountSid, authToken: account.authToken }).checkAccount()).resolves.toEqual({ status: 'active' });
    await expect(
      rest({ accountSid: account.accountSid, authToken: account.authToken, apiKeySid: `SK${'a'.repeat(32)}`, apiKeySecret: 'key-secret' }).checkAccount(
        'api-key',
      ),
    ).resolves.toEqual({ status: 'active' });
    await expect(rest({ accountSid: account.accountSid, authToken: 'made-up-token' }).checkAccount()).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(rest({ accountSid: account.accountSid, authToken: other.authToken }).checkAccount()).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(rest({ accountSid: `AC${'0'.repeat(32)}`, authToken: account.authToken }).checkAccount()).rejects.toBeInstanceOf(ProviderRejectedError);
  });

  it('answers 503-like for a provider that cannot be reached', async () => {
    const rest = createTwilioRest({ baseUrl: 'http://127.0.0.1:9', credentials: { accountSid: `AC${'1'.repeat(32)}`, authToken: 'x' } });
    await expect(rest.checkAccount()).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('never sends credentials over plain http off loopback', async () => {
    const rest = createTwilioRest({ baseUrl: 'http://api.twilio.example', credentials: { accountSid: `AC${'1'.repeat(32)}`, authToken: 'x' } });
    await expect(rest.checkAccount()).rejects.toBeInstanceOf(InsecureTransportError);
  });
});

describe('Twilio calls and numbers', () => {
  it('looks a call up with its numbers (ForwardedFrom included), and says so when Twilio does not know it', async () => {
    const account = sim.state.addAccount();
    const recording = sim.state.addRecording(account.accountSid);
    sim.callCompletedParams(recording, { from: '+13125550111', to: '+13125550122', forwardedFrom: '+13125550133' });
    const rest = createTwilioRest({ baseUrl: sim.baseUrl, credentials: account });
    expect(await rest.call(recording.callSid)).toEqual({
      from: '+13125550111',
      to: '+13125550122',
      forwardedFrom: '+13125550133',
      direction: 'inbound',
      parentCallSid: null,
    });
    expect(await rest.call(`CA${'f'.repeat(32)}`)).toBeUndefined();
  });

  it('filters incoming numbers by PhoneNumber', async () => {
    const account = sim.state.addAccount();
    account.incomingNumbers.push(
      { sid: 'PN1', phoneNumber: '+13125550144', friendlyName: 'Main' },
      { sid: 'PN2', phoneNumber: '+13125550155', friendlyName: 'Other' },
    );
    const rest = createTwilioRest({ baseUrl: sim.baseUrl, credentials: account });
    expect(await rest.incomingNumbers({ phoneNumber: '+13125550155' })).toEqual([{ phoneNumber: '+13125550155', friendlyName: 'Other' }]);
    expect(await rest.incomingNumbers()).toHaveLength(2);
  });
});

describe('paging', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url: string; authorization: string | undefined }> = [];
  const sid = (fill: string) => `AC${fill.repeat(32)}`;

  beforeAll(async () => {
    // Two pages, the second linked by next_page_uri, and an account whose page points off-host.
    server = createServer((request, response) => {
      seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
      const page = new URL(request.url ?? '/', 'http://x').searchParams.get('Page');
      const path = `/2010-04-01/Accounts/${sid('a')}/IncomingPhoneNumbers.json`;
      const body = request.url?.includes(`/Accounts/${sid('e')}/`)
        ? { incoming_phone_numbers: [], next_page_uri: 'https://elsewhere.example/steal' }
        : page === '1'
          ? { incoming_phone_numbers: [{ phone_number: '+13125550202', friendly_name: null }], next_page_uri: null }
          : { incoming_phone_numbers: [{ phone_number: '+13125550201', friendly_name: 'One' }], next_page_uri: `${path}?Page=1` };
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('follows next_page_uri on the configured host with Basic auth', async () => {
    const numbers = await createTwilioRest({ baseUrl, credentials: { accountSid: sid('a'), authToken: 'tok' } }).incomingNumbers();
    expect(numbers).toEqual([
      { phoneNumber: '+13125550201', friendlyName: 'One' },
      { phoneNumber: '+13125550202', friendlyName: null },
    ]);
    expect(seen).toHaveLength(2);
    expect(seen.every((request) => request.authorization === `Basic ${Buffer.from(`${sid('a')}:tok`).toString('base64')}`)).toBe(true);
  });

  it('refuses a next page on another host', async () => {
    await expect(createTwilioRest({ baseUrl, credentials: { accountSid: sid('e'), authToken: 'tok' } }).incomingNumbers()).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
  });
});

describe('the VAPI org check', () => {
  it("confirms an org's own private key and refuses another org's key", async () => {
    const org = sim.vapi.addOrg();
    const other = sim.vapi.addOrg();
    await expect(createVapiRest({ baseUrl: sim.baseUrl, apiKey: org.apiKey }).checkOrg(org.orgId)).resolves.toBeUndefined();
    await expect(createVapiRest({ baseUrl: sim.baseUrl, apiKey: other.apiKey }).checkOrg(org.orgId)).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(createVapiRest({ baseUrl: sim.baseUrl, apiKey: 'made-up' }).checkOrg(org.orgId)).rejects.toBeInstanceOf(ProviderRejectedError);
  });
});
