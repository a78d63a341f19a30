import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { createMp3Stream, createWavStream } from './audio/index';
import { DEEPGRAM_SIM_SCRIPT, measureAudio, registerDeepgramApi } from './deepgram-api';

const API_KEY = 'sim-deepgram-key';
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function build(): Promise<FastifyInstance> {
  app = Fastify();
  app.get('/other', async () => ({ ok: true }));
  app.post('/json', async (request) => request.body);
  registerDeepgramApi(app, { apiKey: API_KEY });
  await app.ready();
  return app;
}

function listen(instance: FastifyInstance, audio: Buffer, query: string, headers: Record<string, string> = {}) {
  return instance.inject({
    method: 'POST',
    url: `/v1/listen?${query}`,
    headers: { authorization: `Token ${API_KEY}`, 'content-type': 'audio/wav', ...headers },
    payload: audio,
  });
}

describe('measureAudio', () => {
  it('reads duration and channels from a WAV header', async () => {
    const wav = await collect(createWavStream({ durationSeconds: 12, channels: 2, seed: 7 }).stream);
    expect(measureAudio(wav.subarray(0, 1024), wav.length)).toEqual({ durationSeconds: 12, channels: 2 });
  });

  it('estimates duration and channels of a constant-bitrate MP3', async () => {
    const mp3 = await collect(createMp3Stream({ durationSeconds: 10, channels: 1, seed: 7 }).stream);
    const measured = measureAudio(mp3.subarray(0, 1024), mp3.length)!;
    expect(measured.channels).toBe(1);
    expect(measured.durationSeconds).toBeGreaterThan(9.9);
    expect(measured.durationSeconds).toBeLessThan(10.6);
  });

  it('does not recognise other bytes', () => {
    expect(measureAudio(Buffer.from('hello, not audio at all'), 23)).toBeUndefined();
  });
});

describe('POST /v1/listen', () => {
  it('answers multichannel audio with one transcript per channel and utterances alternating channels', async () => {
    const instance = await build();
    const wav = await collect(createWavStream({ durationSeconds: 20, channels: 2, seed: 1 }).stream);
    const response = await listen(instance, wav, 'model=nova-3&multichannel=true&utterances=true&punctuate=true&smart_format=true&detect_language=true');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.metadata).toMatchObject({ channels: 2, duration: 20 });
    expect(body.results.channels).toHaveLength(2);
    expect(body.results.channels[0].detected_language).toBe('en');
    const utterances = body.results.utterances as Array<{ start: number; end: number; channel: number; transcript: string }>;
    expect(utterances.length).toBe(5);
    expect(utterances.map((utterance) => utterance.channel)).toEqual([0, 1, 0, 1, 0]);
    expect(utterances[1]!.transcript).toBe(DEEPGRAM_SIM_SCRIPT[1]);
    expect(utterances[1]!.transcript).toContain('4111 1111 1111 1111');
    expect(utterances.at(-1)!.end).toBeLessThanOrEqual(20);
    expect(body.results.channels[1].alternatives[0].transcript).toContain('123-45-6789');
  });

  it('diarizes mono audio: one channel, speakers alternating', async () => {
    const instance = await build();
    const wav = await collect(createWavStream({ durationSeconds: 9, channels: 1, seed: 2 }).stream);
    const body = (await listen(instance, wav, 'diarize=true&utterances=true')).json();
    expect(body.results.channels).toHaveLength(1);
    expect(body.results.utterances.map((utterance: { channel: number; speaker: number }) => [utterance.channel, utterance.speaker])).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(body.results.channels[0].detected_language).toBeUndefined();
  });

  it('leaves utterances out unless asked for them', async () => {
    const instance = await build();
    const wav = await collect(createWavStream({ durationSeconds: 5, channels: 1, seed: 3 }).stream);
    const body = (await listen(instance, wav, 'punctuate=true')).json();
    expect(body.results.utterances).toBeUndefined();
    expect(body.results.channels[0].alternatives[0].transcript).toBe(DEEPGRAM_SIM_SCRIPT[0]);
  });

  it('refuses a missing or wrong key with 401, like Deepgram', async () => {
    const instance = await build();
    const wav = await collect(createWavStream({ durationSeconds: 2, channels: 1, seed: 4 }).stream);
    for (const authorization of ['Token wrong', `Bearer ${API_KEY}`, '']) {
      const response = await listen(instance, wav, 'utterances=true', { authorization });
      expect(response.statusCode, authorization).toBe(401);
      expect(response.json()).toMatchObject({ err_code: 'INVALID_AUTH' });
    }
  });

  it('answers 400 to bytes that are not audio', async () => {
    const instance = await build();
    const response = await listen(instance, Buffer.from('definitely not audio'), 'utterances=true');
    expect(response.statusCode).toBe(400);
    expect(response.json().err_msg).toMatch(/corrupt or unsupported/);
  });

  it('keeps its audio parser to itself', async () => {
    const instance = await build();
    expect((await instance.inject({ method: 'POST', url: '/json', headers: { 'content-type': 'audio/wav' }, payload: Buffer.from('x') })).statusCode).toBe(415);
    expect((await instance.inject({ method: 'POST', url: '/json', payload: { a: 1 } })).json()).toEqual({ a: 1 });
    expect((await instance.inject({ method: 'GET', url: '/other' })).json()).toEqual({ ok: true });
  });
});
