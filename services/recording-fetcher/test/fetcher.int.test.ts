import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { applyProviderRecording, upsertVapiCall, withCompany } from '@callvault/db';
import { connectProducer, type JobContext, type Producer } from '@callvault/queue';
import { startSimulator, type SimRecording, type Simulator } from '@callvault/simulator';
import { createTestEnvironment, seedCompany, seedTwilioAccount, seedVapiAccount, type TestEnvironment } from '@callvault/testing';
import { createOutboxRelay, type DrainLoop } from '@callvault/service-kit';
import { composeFetcher } from '../src/compose-fetcher';
import type { FetcherDeps } from '../src/fetcher-deps';
import { processRecordingFetch } from '../src/recording-fetch.processor';
import { recordSimulatedRecording } from './simulated-recording';

let env: TestEnvironment;
let sim: Simulator;
let producer: Producer;
let relay: DrainLoop;
let deps: FetcherDeps;

beforeAll(async () => {
  sim = await startSimulator();
  env = await createTestEnvironment({ MEDIA_FETCH_ALLOWED_HOSTS: sim.host, VAPI_API_BASE_URL: sim.baseUrl, TWILIO_API_BASE_URL: sim.baseUrl });
  producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
  relay = createOutboxRelay({ db: env.db, producer, log: env.log });
  relay.start();
  deps = composeFetcher({ config: env.config, db: env.db, storage: env.storage, log: env.log, registry: new Registry(), jobsCommitted: () => relay.wake() });
});
afterAll(async () => {
  await relay?.stop();
  await producer?.close();
  await sim?.close();
  await env?.close();
});

function context(attempt = 1, attempts = 8, signal = new AbortController().signal): JobContext {
  return { job: { attemptsMade: attempt - 1, opts: { attempts } } as JobContext['job'], log: env.log, signal };
}

/** A company whose simulated Twilio recording is known to callvault as pending, like after a webhook. */
async function pendingTwilioRecording(
  options: {
    format?: 'mp3' | 'wav';
    durationSeconds?: number;
    channels?: 1 | 2;
    declaredChannels?: 1 | 2;
    fault?: SimRecording['fault'];
    settings?: Record<string, unknown>;
  } = {},
) {
  const account = sim.state.addAccount();
  const company = await seedCompany(env);
  await env.ownerDb
    .updateTable('companies')
    .set({ recording_format: options.format ?? 'wav' })
    .where('id', '=', company.id)
    .execute();
  await seedTwilioAccount(env, company.id, {
    accountSid: account.accountSid,
    authToken: account.authToken,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const simRecording = sim.state.addRecording(account.accountSid, {
    durationSeconds: options.durationSeconds ?? 10,
    channels: options.channels ?? 2,
    ...(options.fault ? { fault: options.fault } : {}),
  });
  const recordingId = await withCompany(env.db, company.id, (tx) =>
    recordSimulatedRecording(tx, sim, simRecording, { channels: options.declaredChannels ?? options.channels ?? 2, startedAt: simRecording.startTime }),
  );
  return { company, account, simRecording, recordingId, payload: { companyId: company.id, recordingId } };
}

const recordingRow = (id: string) => env.ownerDb.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
async function objectKeys(prefix: string) {
  const listed = await env.storage.client.send(new ListObjectsV2Command({ Bucket: env.storage.bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key);
}

/** A VAPI call's recording as ingest leaves it after the end-of-call report: pending, to be fetched. */
async function pendingVapiRecording(
  companyId: string,
  vapiCallId: string,
  media: { mediaUrl?: string; mediaFallback?: { url: string; expiresAt: Date } },
): Promise<string> {
  return withCompany(env.db, companyId, async (tx) => {
    const call = await upsertVapiCall(tx, { vapiCallId, twilioCallSid: null, ownerUserId: null, status: 'ended' });
    const recording = await applyProviderRecording(tx, {
      callId: call.id,
      ownerUserId: null,
      provider: 'vapi',
      providerRecordingId: vapiCallId,
      status: 'pending',
      channels: 2,
      downloadable: true,
      ...media,
    });
    return recording.recordingId;
  });
}

describe('recording-fetch processor', () => {
  it('streams a dual-channel WAV into the company prefix with size, sha256 (in the row), content type and metadata, uploaded once; a duplicate job does nothing', async () => {
    const { company, simRecording, recordingId, payload } = await pendingTwilioRecording({ format: 'wav', durationSeconds: 12 });
    const result = await processRecordingFetch(deps, payload, context());
    const served = sim.state.served.get(simRecording.sid)!;
    expect(result).toMatchObject({ outcome: 'stored', sizeBytes: served.sizeBytes, sha256: served.sha256 });
    expect(served).toMatchObject({ channels: 2, format: 'wav' });
    const row = await recordingRow(recordingId);
    expect(row).toMatchObject({ status: 'stored', format: 'wav', channels: 2, sha256: served.sha256 });
    const head = await env.storage.headObject(row.storage_key!);
    // The sha256 is in the row only: putting it in the metadata took a self-copy, a second version in a versioned bucket.
    expect(head).toEqual({ sizeBytes: served.sizeBytes, metadata: { 'company-id': company.id, 'call-id': row.call_id, 'recording-id': recordingId } });
    expect(simRecording.deleted).toBe(false);
    const object = await env.storage.getObjectStream(row.storage_key!);
    expect(object.contentType).toBe('audio/wav');
    object.body.destroy();

    expect(await processRecordingFetch(deps, payload, context())).toEqual({ outcome: 'skipped', reason: 'recording is not waiting to be fetched' });
    expect(await objectKeys(`companies/${company.id}/`)).toEqual([row.storage_key]);
    await relay.settled();
    const followUps = await Promise.all([
      producer.queue('transcription').getJob(`transcribe-${recordingId}`),
      producer.queue('analytics').getJob(`analyze-${recordingId}`),
    ]);
    expect(followUps.map((job) => job?.data)).toEqual([payload, payload]);
  });

  it('deletes the recording at Twilio after a verified archive when the company asks for it', async () => {
    const { simRecording, recordingId, payload } = await pendingTwilioRecording({ settings: { deleteFromProviderAfterArchive: true } });
    await processRecordingFetch(deps, payload, context());
    expect((await recordingRow(recordingId)).status).toBe('stored');
    expect(simRecording.deleted).toBe(true);
  });

  it('falls back to one channel when Twilio answers 400 to RequestedChannels=2', async () => {
    const { simRecording, recordingId, payload } = await pendingTwilioRecording({ channels: 1, declaredChannels: 2 });
    await processRecordingFetch(deps, payload, context());
    expect(sim.state.served.get(simRecording.sid)?.channels).toBe(1);
    expect(await recordingRow(recordingId)).toMatchObject({ status: 'stored', channels: 1 });
  });

  it('treats 404 as not ready: released to pending for a retry, and failed with a reason after the last attempt', async () => {
    const { recordingId, payload } = await pendingTwilioRecording({ fault: { notReadyFetches: 2 } });
    await expect(processRecordingFetch(deps, payload, context(1, 3))).rejects.toThrow(/not ready/);
    expect(await recordingRow(recordingId)).toMatchObject({ status: 'pending', status_reason: expect.stringContaining('404') });
    await expect(processRecordingFetch(deps, payload, context(2, 3))).rejects.toThrow(/not ready/);
    expect((await processRecordingFetch(deps, payload, context(3, 3))).outcome).toBe('stored');

    const never = await pendingTwilioRecording({ fault: { notReadyFetches: 99 } });
    await expect(processRecordingFetch(deps, never.payload, context(3, 3))).rejects.toThrow(/not ready/);
    expect(await recordingRow(never.recordingId)).toMatchObject({ status: 'failed', status_reason: 'media still not available after 3 attempts' });
  });

  it('fails permanently, with a readable reason, on refused credentials and on a redirect to a host outside the allow-list', async () => {
    const refused = await pendingTwilioRecording({ fault: { status: 401 } });
    await expect(processRecordingFetch(deps, refused.payload, context())).rejects.toMatchObject({ name: 'UnrecoverableError' });
    expect(await recordingRow(refused.recordingId)).toMatchObject({ status: 'failed', status_reason: 'Twilio refused the credentials (401)' });

    const redirected = await pendingTwilioRecording({ fault: { redirectTo: 'http://169.254.169.254/latest/meta-data/' } });
    await expect(processRecordingFetch(deps, redirected.payload, context())).rejects.toMatchObject({ name: 'UnrecoverableError' });
    expect(await recordingRow(redirected.recordingId)).toMatchObject({
      status: 'failed',
      status_reason: 'media host 169.254.169.254 is not in MEDIA_FETCH_ALLOWED_HOSTS (reached by a redirect)',
    });
  });

  it('refuses a media URL naming another account or a host outside the allow-list without contacting it', async () => {
    const { company, recordingId, payload } = await pendingTwilioRecording();
    const before = sim.state.mediaRequests;
    await env.ownerDb
      .updateTable('recordings')
      .set({ media_url: `http://127.0.0.2:9/2010-04-01/Accounts/AC${'1'.repeat(32)}/Recordings/RE${'2'.repeat(32)}` })
      .where('id', '=', recordingId)
      .execute();
    await expect(processRecordingFetch(deps, payload, context())).rejects.toMatchObject({ name: 'UnrecoverableError' });
    expect(sim.state.mediaRequests).toBe(before);
    expect(await objectKeys(`companies/${company.id}/`)).toEqual([]);
  });

  it('never sends the account credentials over plain http to a host other than loopback, allow-listed or not', async () => {
    const { recordingId, payload, simRecording } = await pendingTwilioRecording();
    await env.ownerDb
      .updateTable('recordings')
      .set({ media_url: `http://api.twilio.example/2010-04-01/Accounts/${simRecording.accountSid}/Recordings/${simRecording.sid}` })
      .where('id', '=', recordingId)
      .execute();
    const permissive = { ...deps, config: { ...deps.config, MEDIA_FETCH_ALLOWED_HOSTS: [...deps.config.MEDIA_FETCH_ALLOWED_HOSTS, 'api.twilio.example'] } };
    await expect(processRecordingFetch(permissive, payload, context())).rejects.toMatchObject({ name: 'UnrecoverableError' });
    expect(await recordingRow(recordingId)).toMatchObject({
      status: 'failed',
      status_reason: 'provider credentials are only sent over https (got http://api.twilio.example)',
    });
  });

  it('leaves no object behind when a job is aborted mid-upload, and the retry stores it cleanly', async () => {
    const { company, simRecording, recordingId, payload } = await pendingTwilioRecording({ format: 'wav', durationSeconds: 20 * 60 });
    const abort = new AbortController();
    const running = processRecordingFetch(deps, payload, context(1, 8, abort.signal));
    setTimeout(() => abort.abort(), 150);
    await expect(running).rejects.toThrow();
    expect(await objectKeys(`companies/${company.id}/`)).toEqual([]);
    expect((await recordingRow(recordingId)).status).toBe('pending');

    const retried = await processRecordingFetch(deps, payload, context(2));
    expect(retried).toMatchObject({ outcome: 'stored', sha256: sim.state.served.get(simRecording.sid)!.sha256 });
    expect(await objectKeys(`companies/${company.id}/`)).toHaveLength(1);
  });

  it('fetches a VAPI recording through the API with the org key, following the redirect to signed storage', async () => {
    const org = sim.vapi.addOrg();
    const company = await seedCompany(env);
    await seedVapiAccount(env, company.id, { orgId: org.orgId, apiKey: org.apiKey, webhookSecret: 'x' });
    const vapiCall = sim.vapi.addCall(org.orgId, { durationSeconds: 8 });
    const recordingId = await pendingVapiRecording(company.id, vapiCall.id, { mediaUrl: `https://storage.vapi.ai/${vapiCall.id}-stereo.wav` });
    const result = await processRecordingFetch(deps, { companyId: company.id, recordingId }, context());
    expect(result).toMatchObject({ outcome: 'stored', sha256: sim.state.served.get(vapiCall.id)!.sha256 });
    expect(await recordingRow(recordingId)).toMatchObject({ status: 'stored', format: 'wav' });
  });

  it('uses the report’s presigned URL when the org has no API key, and fails clearly once it has expired', async () => {
    const org = sim.vapi.addOrg();
    const company = await seedCompany(env);
    await seedVapiAccount(env, company.id, { orgId: org.orgId, webhookSecret: 'x' });
    const setup = async (expiresAt: string) => {
      const vapiCall = sim.vapi.addCall(org.orgId, { durationSeconds: 5 });
      const signed = await (
        await fetch(`${sim.baseUrl}/call/${vapiCall.id}/stereo-recording`, { headers: { authorization: `Bearer ${org.apiKey}` }, redirect: 'manual' })
      ).headers.get('location');
      // What ingest keeps from the report when it applies it: the recording with its fallback URL.
      const recordingId = await pendingVapiRecording(company.id, vapiCall.id, { mediaFallback: { url: signed!, expiresAt: new Date(expiresAt) } });
      return { vapiCall, recordingId };
    };
    const fresh = await setup(new Date(Date.now() + 600_000).toISOString());
    const stored = await processRecordingFetch(deps, { companyId: company.id, recordingId: fresh.recordingId }, context());
    expect(stored).toMatchObject({ outcome: 'stored', sha256: sim.state.served.get(fresh.vapiCall.id)!.sha256 });

    const stale = await setup(new Date(Date.now() - 1_000).toISOString());
    await expect(processRecordingFetch(deps, { companyId: company.id, recordingId: stale.recordingId }, context())).rejects.toMatchObject({
      name: 'UnrecoverableError',
    });
    expect(await recordingRow(stale.recordingId)).toMatchObject({ status: 'failed', status_reason: expect.stringContaining('no fresh presigned URL') });
  });
});
