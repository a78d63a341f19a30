import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpeechToTextChoice } from '@callvault/db';
import { createWavStream, registerAudioTranscriptionsApi, registerDeepgramApi } from '@callvault/simulator';
import { createTestEnvironment, seedCompany, seedUser, type TestEnvironment } from '@callvault/testing';
import { createDeepgramSpeechToText } from '../src/deepgram';
import { createOpenAiSpeechToText } from '../src/openai-speech-to-text';
import { processTranscription, type SpeechToTextServices } from '../src/transcription.processor';
import { jobContext, seedProviderTranscript, seedRecording, transcriptOf } from './transcriber-test-kit';

/**
 * Each company's choice of speech-to-text decides where its audio goes, per job: Deepgram (the
 * default), the operator's OpenAI-compatible server, or nowhere. A choice the deployment does not
 * configure leaves the transcript `unavailable`, and no other service hears the audio.
 */
const DEEPGRAM_KEY = 'dg-key';
const WHISPER_KEY = 'sk-whisper';
let env: TestEnvironment;
let sim: FastifyInstance;
const heard = { deepgram: 0, whisper: 0 };
let services: SpeechToTextServices;

beforeAll(async () => {
  env = await createTestEnvironment();
  sim = Fastify();
  sim.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/v1/listen')) heard.deepgram += 1;
    if (request.url.startsWith('/v1/audio/transcriptions')) heard.whisper += 1;
  });
  registerDeepgramApi(sim, { apiKey: DEEPGRAM_KEY });
  registerAudioTranscriptionsApi(sim, { apiKey: WHISPER_KEY });
  await sim.listen({ host: '127.0.0.1', port: 0 });
  const address = sim.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  services = {
    deepgram: createDeepgramSpeechToText({ apiKey: DEEPGRAM_KEY, baseUrl: base }),
    openai: createOpenAiSpeechToText({ baseUrl: `${base}/v1`, apiKey: WHISPER_KEY, model: 'whisper-1' }),
  };
});

afterAll(async () => {
  await sim?.close();
  await env?.close();
});

/** A company that chose `choice` (undefined: never chose) and one stored dual-channel WAV of it. */
async function companyWithAudio(choice: SpeechToTextChoice | undefined) {
  const company = await seedCompany(env);
  if (choice) await env.ownerDb.insertInto('intelligence_settings').values({ company_id: company.id, speech_to_text: choice }).execute();
  const ownerUserId = (await seedUser(env, company.id, 'agent')).id;
  const { recording } = await seedRecording(env, company.id, {
    provider: 'twilio',
    ownerUserId,
    audio: { stream: createWavStream({ durationSeconds: 12, channels: 2, seed: 5 }).stream, format: 'wav', channels: 2 },
  });
  return { companyId: company.id, recording };
}

async function transcribe(companyId: string, recordingId: string, configured: SpeechToTextServices = services) {
  const before = { ...heard };
  const result = await processTranscription({ db: env.db, storage: env.storage, speechToText: configured }, { companyId, recordingId }, jobContext(env));
  return { result, deepgram: heard.deepgram - before.deepgram, whisper: heard.whisper - before.whisper };
}

describe('speech-to-text chosen per company', () => {
  it('sends a company that never chose to Deepgram, as before the choice existed', async () => {
    const { companyId, recording } = await companyWithAudio(undefined);
    expect(await transcribe(companyId, recording.id)).toEqual({
      result: { status: 'completed', source: 'deepgram', redactionCount: 2 },
      deepgram: 1,
      whisper: 0,
    });
  });

  it('sends a company that chose openai to the OpenAI-compatible server only, one request per channel', async () => {
    const { companyId, recording } = await companyWithAudio('openai');
    const outcome = await transcribe(companyId, recording.id);
    expect(outcome).toMatchObject({ result: { status: 'completed', source: 'openai-whisper' }, deepgram: 0, whisper: 2 });
    const transcript = await transcriptOf(env, recording.id);
    expect(new Set(transcript!.segments!.map((segment) => segment.speaker))).toEqual(new Set(['agent', 'customer']));
  });

  it('sends the audio of a company that chose none nowhere, yet keeps its provider’s own transcript', async () => {
    const { companyId, recording } = await companyWithAudio('none');
    expect(await transcribe(companyId, recording.id)).toEqual({ result: { status: 'unavailable' }, deepgram: 0, whisper: 0 });
    expect(await transcriptOf(env, recording.id)).toMatchObject({ status: 'unavailable', source: null });

    await seedProviderTranscript(env, companyId, {
      provider: 'twilio',
      providerRecordingId: recording.provider_recording_id,
      language: null,
      text: 'the provider heard this',
      segments: [],
    });
    expect((await transcribe(companyId, recording.id)).result).toMatchObject({ status: 'completed', source: 'twilio' });
  });

  it('leaves the transcript unavailable when the deployment does not configure the chosen service, never falling back to another', async () => {
    const { companyId, recording } = await companyWithAudio('openai');
    expect(await transcribe(companyId, recording.id, { deepgram: services.deepgram! })).toEqual({ result: { status: 'unavailable' }, deepgram: 0, whisper: 0 });
    expect(await transcriptOf(env, recording.id)).toMatchObject({ status: 'unavailable' });
  });

  it('follows a change of choice on the next job', async () => {
    const { companyId, recording } = await companyWithAudio('deepgram');
    expect((await transcribe(companyId, recording.id)).deepgram).toBe(1);
    await env.ownerDb.updateTable('intelligence_settings').set({ speech_to_text: 'openai' }).where('company_id', '=', companyId).execute();
    expect(await transcribe(companyId, recording.id)).toMatchObject({ deepgram: 0, whisper: 2 });
  });
});
