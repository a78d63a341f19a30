import { createHash, randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createGatewayClient } from '@callvault/api-client';
import { mintToken } from '@callvault/auth';
import { loadConfig } from '@callvault/config';
import { createSecretBox } from '@callvault/crypto';
import { createCompany, createDb, createPhoneNumber, createUser, upsertProviderAccount, withCompany, withPlatform } from '@callvault/db';
import { deliverTwilioWebhook } from '@callvault/simulator';
import { loadOrCreateLocalSecrets } from './local-secrets';

/**
 * `pnpm journey`, against a running `pnpm start`: one call's whole trip. Registers a company with
 * a (simulated) Twilio account and an agent, sends signed callbacks to ingest, waits for the
 * gateway to list the archived recording, and checks that its playback URL serves the same bytes.
 */
const root = resolve(import.meta.dirname, '..');
const env = { ...loadOrCreateLocalSecrets(process.env.CALLVAULT_DATA_DIR ?? join(root, '.local')), ...process.env };
const config = loadConfig(env, ['SECRETS_KEY', 'AUTH_JWT_SECRET']);
const simUrl = `http://127.0.0.1:${process.env.SIM_PORT ?? 3010}`;
const gatewayUrl = config.GATEWAY_PUBLIC_URL;

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url.split('?')[0]} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const db = createDb(config.DATABASE_APP_URL, { poolSize: 2 });
try {
  const twilio = await json<{ accountSid: string; authToken: string }>(`${simUrl}/_sim/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const company = await withPlatform(db, (tx) => createCompany(tx, { name: `Journey ${new Date().toISOString()}` }));
  const agentSubject = `journey-agent-${randomUUID().slice(0, 8)}`;
  const agent = await withCompany(db, company.id, async (tx) => {
    await upsertProviderAccount(tx, createSecretBox(config.SECRETS_KEY!), {
      provider: 'twilio',
      externalId: twilio.accountSid,
      secrets: { authToken: twilio.authToken },
    });
    const user = await createUser(tx, { subject: agentSubject, role: 'agent', name: 'Journey agent' });
    const number = `+1312555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    await createPhoneNumber(tx, { e164: number, matchOn: 'to', ownerUserId: user.id });
    return { ...user, number };
  });

  const recording = await json<{ sid: string; callSid: string; recordingCompleted: Record<string, string> }>(
    `${simUrl}/_sim/accounts/${twilio.accountSid}/recordings`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ durationSeconds: 45, channels: 2 }),
    },
  );
  const send = (path: string, params: Record<string, string>) =>
    deliverTwilioWebhook({ publicBaseUrl: config.PUBLIC_BASE_URL, path, authToken: twilio.authToken, params });
  const callStatus = await send('/webhooks/twilio/call-status', {
    AccountSid: twilio.accountSid,
    CallSid: recording.callSid,
    CallStatus: 'completed',
    Direction: 'inbound',
    From: '+14155550123',
    To: agent.number,
    CallDuration: '50',
    SequenceNumber: '3',
  });
  const recordingStatus = await send('/webhooks/twilio/recording-status', recording.recordingCompleted);
  console.log(`webhooks: call-status ${callStatus.status}, recording-status ${recordingStatus.status}`);

  const token = await mintToken({ secret: config.AUTH_JWT_SECRET!, subject: agentSubject, ttlSeconds: 3600 });
  // The gateway through its typed client, generated from its OpenAPI document, as an integrator would call it.
  const gateway = createGatewayClient({ baseUrl: gatewayUrl, token: () => token });
  const deadline = Date.now() + 60_000;
  let stored: { id: string; status: string; sha256: string | null; sizeBytes: number | null } | undefined;
  while (!stored && Date.now() < deadline) {
    const page = await gateway.GET('/v1/recordings');
    if (!page.data) throw new Error(`GET /v1/recordings → ${page.response.status} ${JSON.stringify(page.error)}`);
    // The plain list holds no tombstones (only the change feed does); the guard tells the compiler.
    stored = page.data.items.find((item): item is Exclude<typeof item, { deletedAt: string }> => !('deletedAt' in item) && item.status === 'stored');
    if (!stored) await new Promise((r) => setTimeout(r, 500));
  }
  if (!stored) throw new Error('the recording was not stored within 60 s (see the recording-fetcher log)');
  const playback = await gateway.GET('/v1/recordings/{id}/playback', { params: { path: { id: stored.id } } });
  if (!playback.data) throw new Error(`GET /v1/recordings/{id}/playback → ${playback.response.status} ${JSON.stringify(playback.error)}`);
  const audio = Buffer.from(await (await fetch(playback.data.url)).arrayBuffer());
  const served = await json<{ sha256: string; sizeBytes: number }>(`${simUrl}/_sim/recordings/${recording.sid}/served`);
  const same = createHash('sha256').update(audio).digest('hex') === served.sha256;
  console.log(`recording ${stored.id}: stored ${stored.sizeBytes} bytes, playback bytes ${same ? 'match' : 'DO NOT match'} what the simulator served`);
  console.log(
    `\nAs the agent:\n  curl -H 'authorization: Bearer ${token}' ${gatewayUrl}/v1/recordings\n  curl -H 'authorization: Bearer ${token}' ${gatewayUrl}/v1/recordings/${stored.id}/playback`,
  );
  if (!same) process.exitCode = 1;
} finally {
  await db.destroy();
}
