import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWavStream, planSpeech, registerAudioTranscriptionsApi } from '@callvault/simulator';
import { createOpenAiSpeechToText } from '../src/openai-speech-to-text';
import { SpeechToTextError } from '../src/speech-to-text';

const KEY = 'sk-whisper';
let app: FastifyInstance;
let baseUrl: string;
let requests = 0;

beforeAll(async () => {
  app = Fastify();
  app.addHook('onRequest', async () => {
    requests += 1;
  });
  registerAudioTranscriptionsApi(app, { apiKey: KEY });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
});

afterAll(async () => {
  await app?.close();
});

const spec = { durationSeconds: 30, channels: 2 as const, seed: 21 };

describe('OpenAI-compatible speech-to-text', () => {
  it('transcribes each channel of a dual-channel WAV on its own and stitches the turns by time', async () => {
    const audio = await buffer(createWavStream(spec).stream);
    const before = requests;
    const draft = await createOpenAiSpeechToText({ baseUrl, apiKey: KEY, model: 'whisper-1' }).transcribe({
      audio: Readable.from(audio),
      contentType: 'audio/wav',
      channels: 2,
      signal: new AbortController().signal,
    });
    expect(requests - before).toBe(2);
    const starts = draft.segments.map((segment) => segment.startSeconds);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // Every planned turn of a party begins inside, or within 0.1 s of, a segment of that party's speaker.
    for (const turn of planSpeech(spec)) {
      const speaker = turn.channel === 0 ? 'agent' : 'customer';
      const covering = draft.segments.some(
        (segment) => segment.speaker === speaker && segment.startSeconds - 0.1 <= turn.startSeconds && turn.startSeconds <= segment.endSeconds + 0.1,
      );
      expect(covering, `${speaker} turn at ${turn.startSeconds}`).toBe(true);
    }
    expect(new Set(draft.segments.map((segment) => segment.speaker))).toEqual(new Set(['agent', 'customer']));
  });

  it('refuses for good a key the server rejects', async () => {
    const attempt = createOpenAiSpeechToText({ baseUrl, apiKey: 'wrong', model: 'whisper-1' }).transcribe({
      audio: Readable.from(Buffer.from('RIFF')),
      contentType: 'audio/wav',
      channels: 1,
      signal: new AbortController().signal,
    });
    await expect(attempt).rejects.toBeInstanceOf(SpeechToTextError);
    await expect(attempt).rejects.toMatchObject({ retryable: false, status: 401 });
  });
});
