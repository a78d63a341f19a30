import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Recording } from '@callvault/db';
import { buildApp, composeGateway } from '../../src';
import { createMediaSigner } from '../../src/routes/recordings/media-token';
import { audioBytes, auditTrail, createRecordingsWorld, seedCallWithRecording, sha256, storeAudio, type RecordingsWorld } from './recordings-test-kit';

let world: RecordingsWorld;
/** The same world served with PLAYBACK_MODE=gateway. */
let gatewayMode: FastifyInstance;
const PUBLIC_URL = 'https://calls.example.test';
let bytes: Buffer;
let recording: Recording;

beforeAll(async () => {
  world = await createRecordingsWorld();
  const config = { ...world.env.config, PLAYBACK_MODE: 'gateway' as const, GATEWAY_PUBLIC_URL: PUBLIC_URL };
  gatewayMode = await buildApp(composeGateway({ config, db: world.env.db, storage: world.env.storage, log: world.env.log }));
  bytes = audioBytes(10_000);
  recording = await storeAudio(
    world.env,
    (await seedCallWithRecording(world.env, world.a.id, world.users.agentA.id, { from: '+13125550101', to: '+13125550102' })).recording,
    bytes,
  );
});

afterAll(async () => {
  await gatewayMode?.close();
  await world?.close();
});

const countsOf = async (id: string) =>
  world.env.ownerDb.selectFrom('recordings').select(['play_count', 'download_count']).where('id', '=', id).executeTakeFirstOrThrow();
const asAgent = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${world.tokens.agentA}` } });
/** What a browser's `<audio>` element sends: the URL, maybe a Range, no credentials. */
const fetchMedia = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') => {
  expect(url.startsWith(`${PUBLIC_URL}/media/`)).toBe(true);
  return gatewayMode.inject({ method, url: url.slice(PUBLIC_URL.length), headers });
};

describe('playback in S3 mode', () => {
  it('returns a presigned storage URL that serves exactly the stored bytes, counted and audited', async () => {
    const before = await countsOf(recording.id);
    const response = await asAgent(world.app, `/v1/recordings/${recording.id}/playback`);
    expect(response.statusCode).toBe(200);
    const { url, expiresAt } = response.json();
    expect(url.startsWith(world.env.config.S3_PUBLIC_ENDPOINT!)).toBe(true);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan((world.env.config.PLAYBACK_URL_TTL_SECONDS - 5) * 1000);
    const audio = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(sha256(audio)).toBe(sha256(bytes));
    expect((await countsOf(recording.id)).play_count).toBe(before.play_count + 1);
    expect((await auditTrail(world.env, world.a.id, 'recording.play')).at(-1)).toMatchObject({ target_id: recording.id, details: { mode: 's3' } });
  });

  it('redirects a download to a signed URL naming the file, and counts it', async () => {
    const response = await asAgent(world.app, `/v1/recordings/${recording.id}/download`);
    expect(response.statusCode).toBe(302);
    const location = new URL(response.headers.location as string);
    const filename = `${recording.started_at!.toISOString().slice(0, 10)}_+13125550101_+13125550102_${recording.id}.mp3`;
    expect(location.searchParams.get('response-content-disposition')).toBe(`attachment; filename="${filename}"`);
    expect(sha256(Buffer.from(await (await fetch(location)).arrayBuffer()))).toBe(sha256(bytes));
    expect((await countsOf(recording.id)).download_count).toBe(1);
  });

  it('answers 404 outside the scope and for a recording without audio, counting nothing', async () => {
    const before = await countsOf(recording.id);
    for (const token of [world.tokens.agentA2, world.tokens.adminB]) {
      expect(
        (await world.app.inject({ method: 'GET', url: `/v1/recordings/${recording.id}/playback`, headers: { authorization: `Bearer ${token}` } })).statusCode,
      ).toBe(404);
    }
    const pending = (await seedCallWithRecording(world.env, world.a.id, world.users.agentA.id, { status: 'pending' })).recording;
    const response = await asAgent(world.app, `/v1/recordings/${pending.id}/playback`);
    expect(response.statusCode).toBe(404);
    expect(response.json().detail).toBe('recording audio is not available');
    expect(await countsOf(recording.id)).toEqual(before);
  });
});

describe('playback in gateway mode', () => {
  it('returns a gateway media URL that plays without headers, whole or by byte range', async () => {
    const before = await countsOf(recording.id);
    const response = await asAgent(gatewayMode, `/v1/recordings/${recording.id}/playback`);
    expect(response.statusCode).toBe(200);
    const { url, expiresAt } = response.json();
    const parsed = new URL(url);
    expect(parsed.pathname).toBe(`/media/${recording.id}`);
    expect(Number(parsed.searchParams.get('expires')) * 1000).toBe(Date.parse(expiresAt));

    const whole = await fetchMedia(url);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers).toMatchObject({ 'content-type': 'audio/mpeg', 'accept-ranges': 'bytes', 'content-length': '10000', 'content-disposition': 'inline' });
    expect(whole.rawPayload.equals(bytes)).toBe(true);

    const middle = await fetchMedia(url, { range: 'bytes=1000-1999' });
    expect(middle.statusCode).toBe(206);
    expect(middle.headers).toMatchObject({
      'content-range': 'bytes 1000-1999/10000',
      'content-length': '1000',
      'accept-ranges': 'bytes',
      'content-type': 'audio/mpeg',
    });
    expect(middle.rawPayload.equals(bytes.subarray(1000, 2000))).toBe(true);

    const open = await fetchMedia(url, { range: 'bytes=9990-' });
    expect(open.headers['content-range']).toBe('bytes 9990-9999/10000');
    expect(open.rawPayload.equals(bytes.subarray(9990))).toBe(true);
    const suffix = await fetchMedia(url, { range: 'bytes=-16' });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.rawPayload.equals(bytes.subarray(10_000 - 16))).toBe(true);

    const beyond = await fetchMedia(url, { range: 'bytes=10000-' });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe('bytes */10000');
    expect(beyond.json().code).toBe('range_not_satisfiable');

    const head = await fetchMedia(url, {}, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe('10000');
    expect(head.body).toBe('');

    // One play was counted and audited when the URL was issued; range requests count nothing.
    expect((await countsOf(recording.id)).play_count).toBe(before.play_count + 1);
    expect((await auditTrail(world.env, world.a.id, 'recording.play')).at(-1)).toMatchObject({ target_id: recording.id, details: { mode: 'gateway' } });
  });

  it('serves a download as an attachment with the contract file name', async () => {
    const response = await asAgent(gatewayMode, `/v1/recordings/${recording.id}/download`);
    expect(response.statusCode).toBe(302);
    const media = await fetchMedia(response.headers.location as string);
    expect(media.headers['content-disposition']).toBe(
      `attachment; filename="${recording.started_at!.toISOString().slice(0, 10)}_+13125550101_+13125550102_${recording.id}.mp3"`,
    );
    expect(media.rawPayload.equals(bytes)).toBe(true);
    // Served, it is audited again, credited to the agent the link was issued to.
    expect((await auditTrail(world.env, world.a.id, 'recording.download.served')).at(-1)).toMatchObject({
      target_id: recording.id,
      actor_user_id: world.users.agentA.id,
      actor_role: 'agent',
      actor_subject: 'media-link',
    });
  });

  it('will not turn a play link into a download link, nor credit it to someone else (403)', async () => {
    const { url } = (await asAgent(gatewayMode, `/v1/recordings/${recording.id}/playback`)).json();
    const asDownload = new URL(url);
    asDownload.searchParams.set('download', '1');
    expect((await fetchMedia(asDownload.toString())).statusCode).toBe(403);
    const reassigned = new URL(url);
    reassigned.searchParams.set('by', `user:${world.users.adminA.id}`);
    expect((await fetchMedia(reassigned.toString())).statusCode).toBe(403);
  });

  it('refuses a tampered, re-targeted or expired link with 403, and a malformed one with 400', async () => {
    const { url } = (await asAgent(gatewayMode, `/v1/recordings/${recording.id}/playback`)).json();
    const parsed = new URL(url);
    const token = parsed.searchParams.get('token')!;
    const other = await storeAudio(world.env, (await seedCallWithRecording(world.env, world.a.id, world.users.agentA.id)).recording, audioBytes(50));
    const variant = (change: (params: URLSearchParams) => void, path = parsed.pathname) => {
      const params = new URLSearchParams(parsed.searchParams);
      change(params);
      return `${PUBLIC_URL}${path}?${params.toString()}`;
    };
    const forbidden = [
      variant((params) => params.set('token', `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`)),
      variant((params) => params.set('token', `${token}AA`)),
      variant((params) => params.set('expires', String(Number(params.get('expires')) + 3600))),
      variant((params) => params.set('company', world.b.id)),
      variant(() => undefined, `/media/${other.id}`),
    ];
    for (const link of forbidden) {
      const response = await fetchMedia(link, { range: 'bytes=0-9' });
      expect(response.statusCode, link).toBe(403);
      expect(response.json()).toMatchObject({ status: 403, code: 'forbidden' });
    }
    const signer = createMediaSigner(world.env.config.TAG_SIGNING_KEY!);
    const grant = { recordingId: recording.id, companyId: world.a.id, download: false, issuedTo: `user:${world.users.agentA.id}`, role: 'agent' };
    const expired = signer.url(PUBLIC_URL, { ...grant, expires: Math.floor(Date.now() / 1000) - 1 });
    expect((await fetchMedia(expired)).statusCode).toBe(403);
    const otherKey = createMediaSigner(`${world.env.config.TAG_SIGNING_KEY!}x`).url(PUBLIC_URL, { ...grant, expires: Math.floor(Date.now() / 1000) + 60 });
    expect((await fetchMedia(otherKey)).statusCode).toBe(403);
    expect((await fetchMedia(variant((params) => params.delete('token')))).statusCode).toBe(400);
    expect((await fetchMedia(variant((params) => params.set('expires', 'soon')))).statusCode).toBe(400);
  });

  it('stops serving a recording once it is deleted (404), even with a valid link', async () => {
    const doomed = await storeAudio(world.env, (await seedCallWithRecording(world.env, world.a.id, world.users.agentA.id)).recording, audioBytes(80));
    const { url } = (await asAgent(gatewayMode, `/v1/recordings/${doomed.id}/playback`)).json();
    expect((await fetchMedia(url)).statusCode).toBe(200);
    expect(
      (await gatewayMode.inject({ method: 'DELETE', url: `/v1/recordings/${doomed.id}`, headers: { authorization: `Bearer ${world.tokens.adminA}` } }))
        .statusCode,
    ).toBe(204);
    expect((await fetchMedia(url)).statusCode).toBe(404);
  });
});
