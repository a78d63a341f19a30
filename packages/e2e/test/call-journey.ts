import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisVariables, type RedisTarget } from '@callvault/config';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createGatewayClient } from '@callvault/api-client';
import { startPipeline, type Pipeline } from '@callvault/isolation-suite';
import { deliverTwilioWebhook, type Simulator } from '@callvault/simulator';
import { freePort, seedCompany, seedPhoneNumber, seedTwilioAccount, seedUser, tokenFor, waitFor, type TestEnvironment } from '@callvault/testing';

/** A Redis deployment a test starts for the journey (a cluster, a Sentinel group) and stops after it. */
export interface RedisUnderTest {
  target: RedisTarget;
  close(): Promise<void>;
}

/**
 * One real call through every service: signed Twilio callbacks from the simulator → ingest →
 * queue → fetcher → S3 → transcriber/analytics → gateway, with a second company looking on.
 * On the machine's Redis, or on the deployment `startRedis` brings up: every client of every
 * service is built from the configuration, as in production. Returns the test environment
 * (valid once the journey's `beforeAll` ran) for checks of the caller's own.
 */
export function defineCallJourney(title: string, startRedis?: () => Promise<RedisUnderTest>): () => TestEnvironment {
  let redis: RedisUnderTest | undefined;
  let pipeline: Pipeline;
  let env: TestEnvironment;
  let sim: Simulator;
  let ingestUrl: string;
  let gatewayUrl: string;

  beforeAll(async () => {
    redis = await startRedis?.();
    pipeline = await startPipeline({ overrides: redis ? redisVariables(redis.target) : {} });
    ({ env, sim, ingestUrl } = pipeline);
    // Over HTTP, through the typed client integrators use: the client is exercised on every run.
    const gatewayPort = await freePort();
    await pipeline.gateway.listen({ host: '127.0.0.1', port: gatewayPort });
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  });

  /** The typed gateway client, acting with one bearer token. */
  const clientAs = (token: string) => createGatewayClient({ baseUrl: gatewayUrl, token: () => token });

  afterAll(async () => {
    await pipeline?.close();
    await redis?.close();
  });

  describe(title, () => {
    it('archives a signed recording callback and serves it only to the right people', async () => {
      // 1. A company with a registered Twilio account, an agent and the agent's number; a second company.
      const twilio = sim.state.addAccount();
      const company = await seedCompany(env, 'Acme Dental');
      await seedTwilioAccount(env, company.id, { accountSid: twilio.accountSid, authToken: twilio.authToken });
      const agent = await seedUser(env, company.id, 'agent');
      await seedPhoneNumber(env, company.id, { e164: '+13125550187', matchOn: 'to', ownerUserId: agent.id });
      const otherCompany = await seedCompany(env, 'Other Co');
      const otherAdmin = await seedUser(env, otherCompany.id, 'company_admin');

      // 2. Twilio (the simulator) reports the call, then the completed recording, correctly signed.
      const recording = sim.state.addRecording(twilio.accountSid, { durationSeconds: 20, channels: 2 });
      const deliver = (path: string, params: Record<string, string>, tamper?: 'wrong-token') =>
        deliverTwilioWebhook({
          publicBaseUrl: env.config.PUBLIC_BASE_URL,
          targetBaseUrl: ingestUrl,
          path,
          authToken: twilio.authToken,
          params,
          ...(tamper ? { tamper } : {}),
        });
      expect((await deliver('/webhooks/twilio/call-status', sim.callCompletedParams(recording, { from: '+14155550123', to: '+13125550187' }))).status).toBe(
        204,
      );
      const callback = sim.recordingCompletedParams(recording);
      expect((await deliver('/webhooks/twilio/recording-status', callback)).status).toBe(204);

      // 3. The fetcher archives it under the company's prefix; transcription and analytics run.
      const stored = await waitFor(
        async () => {
          const row = await env.ownerDb.selectFrom('recordings').selectAll().where('provider_recording_id', '=', recording.sid).executeTakeFirst();
          return row?.status === 'stored' ? row : undefined;
        },
        { what: 'recording stored', timeoutMs: 20_000 },
      );
      const served = sim.state.served.get(recording.sid)!;
      expect(stored).toMatchObject({ company_id: company.id, owner_user_id: agent.id, format: 'mp3', channels: 2, sha256: served.sha256 });
      expect(Number(stored.size_bytes)).toBe(served.sizeBytes);
      expect(stored.storage_key).toMatch(new RegExp(`^companies/${company.id}/recordings/\\d{4}/\\d{2}/\\d{2}/${stored.call_id}/${stored.id}\\.mp3$`));
      const objects = await env.storage.client.send(new ListObjectsV2Command({ Bucket: env.storage.bucket }));
      expect(objects.Contents?.map((object) => object.Key)).toEqual([stored.storage_key]);
      await waitFor(
        async () =>
          (await env.ownerDb.selectFrom('transcripts').select('status').where('recording_id', '=', stored.id).executeTakeFirst())?.status === 'unavailable',
        { what: 'transcriber ran' },
      );
      await waitFor(
        async () => (await env.ownerDb.selectFrom('call_metrics').select('id').where('recording_id', '=', stored.id).executeTakeFirst()) !== undefined,
        { what: 'analytics ran' },
      );

      // 4. The agent lists it and plays it: the signed URL serves exactly the bytes Twilio served.
      const asAgent = clientAs(await tokenFor(env, agent.subject));
      const list = await asAgent.GET('/v1/recordings', { params: { query: { limit: 10 } } });
      expect(list.response.status).toBe(200);
      expect(list.data?.items.map((item) => item.id)).toEqual([stored.id]);
      expect(list.data?.nextCursor).toBeNull();
      const playback = await asAgent.GET('/v1/recordings/{id}/playback', { params: { path: { id: stored.id } } });
      expect(playback.response.status).toBe(200);
      const audio = Buffer.from(await (await fetch(playback.data!.url)).arrayBuffer());
      expect(createHash('sha256').update(audio).digest('hex')).toBe(served.sha256);

      // 5. Another company's admin sees nothing; a forged callback is refused; a duplicate changes nothing.
      const asOther = clientAs(await tokenFor(env, otherAdmin.subject));
      const notFound = await asOther.GET('/v1/recordings/{id}', { params: { path: { id: stored.id } } });
      expect(notFound.response.status).toBe(404);
      expect(notFound.error?.code).toBe('not_found');
      expect((await asOther.GET('/v1/recordings/{id}/playback', { params: { path: { id: stored.id } } })).response.status).toBe(404);
      expect((await asOther.GET('/v1/recordings')).data?.items).toEqual([]);

      const eventsBefore = await env.ownerDb.selectFrom('webhook_events').select('id').execute();
      const forged = sim.state.addRecording(twilio.accountSid);
      expect((await deliver('/webhooks/twilio/recording-status', sim.recordingCompletedParams(forged), 'wrong-token')).status).toBe(403);
      expect(await env.ownerDb.selectFrom('webhook_events').select('id').execute()).toHaveLength(eventsBefore.length);

      expect((await deliver('/webhooks/twilio/recording-status', callback)).status).toBe(204);
      const rows = await env.ownerDb.selectFrom('recordings').select('id').where('provider_recording_id', '=', recording.sid).execute();
      expect(rows).toHaveLength(1);
      expect(sim.state.mediaRequests).toBe(1);
    });
  });

  return () => env;
}
