import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { searchTranscripts, withReadScope, type ProviderTranscriptFacts } from '@callvault/db';
import { transcriptFromVapiReport } from '@callvault/events';
import { UnrecoverableError } from '@callvault/queue';
import { createMp3Stream, createWavStream, registerDeepgramApi } from '@callvault/simulator';
import { createTestEnvironment, seedCompany, seedUser, type TestEnvironment, twilioFormFixture } from '@callvault/testing';
import { createDeepgramSpeechToText } from '../src/deepgram';
import { SpeechToTextError, type SpeechToText } from '../src/speech-to-text';
import { processTranscription } from '../src/transcription.processor';
import { hasTranscript, jobContext, seedRecording, seedProviderTranscript, transcriptOf } from './transcriber-test-kit';

const VAPI_REPORT = JSON.parse(readFileSync(new URL('../../../packages/testing/fixtures/vapi/end-of-call-report.json', import.meta.url), 'utf8')) as {
  message: { call: Record<string, unknown>; artifact: { messages: Array<Record<string, unknown>> } & Record<string, unknown> } & Record<string, unknown>;
};
const TWILIO_TRANSCRIPTION = twilioFormFixture('transcription-completed');
const DEEPGRAM_KEY = 'test-deepgram-key';
const CARD = '[REDACTED CARD]';
const SSN = '[REDACTED SSN]';

let env: TestEnvironment;
let companyId: string;
let ownerUserId: string;
let deepgramSim: FastifyInstance;
let deepgramUrl: string;
let deepgramRequests = 0;
let speechToText: SpeechToText;

/** A stand-in that answers every request with one status, or never (to time out). */
async function failingDeepgram(status: number | 'hang'): Promise<{ url: string; close: () => Promise<void> }> {
  // Force-closes the hanging request's socket on close.
  const app = Fastify({ forceCloseConnections: true });
  app.addContentTypeParser('*', (_request, payload, done) => {
    payload.resume();
    payload.on('end', () => done(null, undefined));
  });
  app.post('/v1/listen', async (_request, reply) => {
    if (status === 'hang') return new Promise(() => undefined);
    return reply.code(status).send({ err_code: status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'Bad Request', err_msg: 'stand-in failure', request_id: 'x' });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, close: () => app.close() };
}

/** The transcript ingest keeps from the fixture's end-of-call report (parsed by ingest's own parser). */
function vapiTranscript(callId: string, messages?: Array<Record<string, unknown>>): ProviderTranscriptFacts {
  const report = {
    message: {
      ...VAPI_REPORT.message,
      call: { ...VAPI_REPORT.message.call, id: callId },
      artifact: { ...VAPI_REPORT.message.artifact, ...(messages ? { messages } : {}) },
    },
  };
  const draft = transcriptFromVapiReport(report);
  if (!draft) throw new Error('the fixture report carries no transcript');
  return { provider: 'vapi', providerRecordingId: callId, ...draft };
}

/** The transcript ingest keeps from the fixture's completed Twilio transcription callback. */
function twilioTranscript(recordingSid: string): ProviderTranscriptFacts {
  return { provider: 'twilio', providerRecordingId: recordingSid, language: null, text: TWILIO_TRANSCRIPTION.TranscriptionText!, segments: [] };
}

beforeAll(async () => {
  env = await createTestEnvironment();
  const company = await seedCompany(env);
  companyId = company.id;
  ownerUserId = (await seedUser(env, companyId, 'agent')).id;
  deepgramSim = Fastify();
  deepgramSim.addHook('onRequest', async () => {
    deepgramRequests += 1;
  });
  registerDeepgramApi(deepgramSim, { apiKey: DEEPGRAM_KEY });
  await deepgramSim.listen({ host: '127.0.0.1', port: 0 });
  const address = deepgramSim.server.address();
  deepgramUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  speechToText = createDeepgramSpeechToText({ apiKey: DEEPGRAM_KEY, baseUrl: deepgramUrl });
});

afterAll(async () => {
  await deepgramSim?.close();
  await env?.close();
});

describe('transcription from the providers’ own transcripts', () => {
  it('uses the VAPI end-of-call report: agent and customer turns with timings', async () => {
    const { recording } = await seedRecording(env, companyId, { provider: 'vapi', ownerUserId });
    await seedProviderTranscript(env, companyId, vapiTranscript(recording.provider_recording_id));
    const before = deepgramRequests;

    const result = await processTranscription(
      { db: env.db, storage: env.storage, speechToText: { deepgram: speechToText } },
      { companyId, recordingId: recording.id },
      jobContext(env),
    );

    expect(result).toEqual({ status: 'completed', source: 'vapi', redactionCount: 0 });
    expect(deepgramRequests).toBe(before);
    const transcript = await transcriptOf(env, recording.id);
    expect(transcript).toMatchObject({ company_id: companyId, status: 'completed', source: 'vapi', language: null, redaction_count: 0 });
    expect(transcript!.segments).toHaveLength(5);
    expect(transcript!.segments![0]).toEqual({
      speaker: 'agent',
      startSeconds: 1.24,
      endSeconds: 4.52,
      text: 'Hi, this is Ava from Acme Dental. Am I speaking with Jordan?',
    });
    expect(transcript!.segments![1]).toMatchObject({ speaker: 'customer', text: 'Yes, this is Jordan.' });
    expect(transcript!.text).toContain('Actually, can we move it to Friday?');
    expect(transcript!.text).not.toContain('You are Ava');
    expect(await hasTranscript(env, recording.id)).toBe(true);
  });

  it('redacts card numbers and SSNs in the text and every segment before storing, and counts them', async () => {
    const { recording } = await seedRecording(env, companyId, { provider: 'vapi', ownerUserId });
    const messages = [
      // Control characters (search-snippet markers) never reach the database.
      { role: 'bot', message: 'Can I have the card\u0002 number?\u0003', secondsFromStart: 1, duration: 2000 },
      { role: 'user', message: 'Sure, it is 4111 1111 1111 1111, and my social is 123-45-6789.', secondsFromStart: 3.5, duration: 6000 },
      { role: 'bot', message: 'Thanks. The backup card 5555-5555-5555-4444 is on file; order 1234 5678 9012 stays.', secondsFromStart: 10, duration: 4000 },
    ];
    await seedProviderTranscript(env, companyId, vapiTranscript(recording.provider_recording_id, messages));

    const result = await processTranscription({ db: env.db }, { companyId, recordingId: recording.id }, jobContext(env));

    expect(result).toEqual({ status: 'completed', source: 'vapi', redactionCount: 3 });
    const transcript = await transcriptOf(env, recording.id);
    expect(transcript!.redaction_count).toBe(3);
    expect(transcript!.text).toBe(
      `Can I have the card number?\nSure, it is ${CARD}, and my social is ${SSN}.\nThanks. The backup card ${CARD} is on file; order 1234 5678 9012 stays.`,
    );
    expect(transcript!.segments!.map((segment) => segment.text)).toEqual([
      'Can I have the card number?',
      `Sure, it is ${CARD}, and my social is ${SSN}.`,
      `Thanks. The backup card ${CARD} is on file; order 1234 5678 9012 stays.`,
    ]);
    const raw = JSON.stringify(transcript);
    expect(raw).not.toMatch(/4111|5555|123-45-6789/);
    // The search index is generated from the stored text: the numbers are not findable, the words are.
    const scope = { kind: 'company' as const, companyId, ownerUserIds: null };
    const search = (q: string) => withReadScope(env.db, scope, (tx) => searchTranscripts(tx, { q, limit: 50, after: null }));
    expect((await search('4111')).map((hit) => hit.recordingId)).not.toContain(recording.id);
    expect((await search('"123-45-6789"')).map((hit) => hit.recordingId)).not.toContain(recording.id);
    expect((await search('social backup')).map((hit) => hit.recordingId)).toContain(recording.id);
  });

  it("redacts the company's own patterns with cards and SSNs, and never another company's", async () => {
    const clinic = await seedCompany(env);
    const other = await seedCompany(env);
    await env.ownerDb
      .insertInto('redaction_patterns')
      .values([
        { company_id: clinic.id, name: 'mrn', source: '\\bMRN[- ]?\\d{6}\\b', placeholder: '[REDACTED MRN]', position: 0 },
        // The other company hides the word "Friday"; the clinic does not.
        { company_id: other.id, name: 'day', source: 'Friday', placeholder: '[REDACTED DAY]', position: 0 },
      ])
      .execute();
    const agent = await seedUser(env, clinic.id, 'agent');
    const { recording } = await seedRecording(env, clinic.id, { provider: 'vapi', ownerUserId: agent.id });
    const messages = [{ role: 'user', message: 'My chart is MRN 123456 and my social is 123-45-6789, see you Friday.', secondsFromStart: 1, duration: 3000 }];
    await seedProviderTranscript(env, clinic.id, vapiTranscript(recording.provider_recording_id, messages));

    const result = await processTranscription({ db: env.db }, { companyId: clinic.id, recordingId: recording.id }, jobContext(env));

    expect(result).toEqual({ status: 'completed', source: 'vapi', redactionCount: 2 });
    const transcript = await transcriptOf(env, recording.id);
    expect(transcript!.text).toBe(`My chart is [REDACTED MRN] and my social is ${SSN}, see you Friday.`);
    expect(transcript!.segments!.map((segment) => segment.text)).toEqual([transcript!.text]);
    const scope = { kind: 'company' as const, companyId: clinic.id, ownerUserIds: null };
    expect(await withReadScope(env.db, scope, (tx) => searchTranscripts(tx, { q: '123456', limit: 50, after: null }))).toEqual([]);
  });

  it('uses a completed Twilio transcription callback: text only, no segments', async () => {
    const { recording } = await seedRecording(env, companyId, { provider: 'twilio', ownerUserId });
    await seedProviderTranscript(env, companyId, twilioTranscript(recording.provider_recording_id));

    const result = await processTranscription({ db: env.db }, { companyId, recordingId: recording.id }, jobContext(env));

    expect(result).toEqual({ status: 'completed', source: 'twilio', redactionCount: 0 });
    expect(await transcriptOf(env, recording.id)).toMatchObject({
      status: 'completed',
      source: 'twilio',
      language: null,
      text: 'Hi this is Jordan calling about my appointment on Friday.',
      segments: [],
    });
    expect(await hasTranscript(env, recording.id)).toBe(true);
  });

  it('ignores the provider transcripts of other recordings and of the other provider', async () => {
    const { recording } = await seedRecording(env, companyId, { provider: 'twilio', ownerUserId });
    await seedProviderTranscript(env, companyId, twilioTranscript('RE00000000000000000000000000000000'));
    await seedProviderTranscript(env, companyId, { ...twilioTranscript(recording.provider_recording_id), provider: 'vapi' });

    const result = await processTranscription({ db: env.db }, { companyId, recordingId: recording.id }, jobContext(env));

    expect(result).toEqual({ status: 'unavailable' });
    expect(await transcriptOf(env, recording.id)).toMatchObject({ status: 'unavailable', source: null, text: null, segments: null });
  });

  it('never reads another company’s provider transcripts', async () => {
    const other = await seedCompany(env);
    const { recording } = await seedRecording(env, companyId, { provider: 'vapi', ownerUserId });
    await seedProviderTranscript(env, other.id, vapiTranscript(recording.provider_recording_id));

    expect(await processTranscription({ db: env.db }, { companyId, recordingId: recording.id }, jobContext(env))).toEqual({ status: 'unavailable' });
  });
});

describe('transcription by Deepgram (the simulator’s API over HTTP)', () => {
  it('transcribes a dual-channel WAV from storage: channel 0 is the agent, channel 1 the customer, PII redacted', async () => {
    const { recording } = await seedRecording(env, companyId, {
      provider: 'twilio',
      ownerUserId,
      audio: { stream: createWavStream({ durationSeconds: 20, channels: 2, seed: 11 }).stream, format: 'wav', channels: 2 },
    });
    const before = deepgramRequests;

    const result = await processTranscription(
      { db: env.db, storage: env.storage, speechToText: { deepgram: speechToText } },
      { companyId, recordingId: recording.id },
      jobContext(env),
    );

    expect(result).toEqual({ status: 'completed', source: 'deepgram', redactionCount: 2 });
    expect(deepgramRequests).toBe(before + 1);
    const transcript = await transcriptOf(env, recording.id);
    expect(transcript).toMatchObject({ status: 'completed', source: 'deepgram', language: 'en', redaction_count: 2 });
    expect(transcript!.segments!.map((segment) => segment.speaker)).toEqual(['agent', 'customer', 'agent', 'customer', 'agent']);
    expect(transcript!.segments![1]).toEqual({ speaker: 'customer', startSeconds: 4.5, endSeconds: 8, text: `my card is ${CARD} and my ssn is ${SSN}` });
    expect(transcript!.text!.split('\n')).toHaveLength(5);
    expect(transcript!.text).toContain(`my card is ${CARD} and my ssn is ${SSN}`);
    expect(JSON.stringify(transcript)).not.toMatch(/4111|123-45-6789/);
    expect(await hasTranscript(env, recording.id)).toBe(true);
  });

  it('diarizes a mono MP3', async () => {
    const { recording } = await seedRecording(env, companyId, {
      provider: 'twilio',
      ownerUserId,
      audio: { stream: createMp3Stream({ durationSeconds: 9, channels: 1, seed: 12 }).stream, format: 'mp3', channels: 1 },
    });

    await processTranscription(
      { db: env.db, storage: env.storage, speechToText: { deepgram: speechToText } },
      { companyId, recordingId: recording.id },
      jobContext(env),
    );

    const transcript = await transcriptOf(env, recording.id);
    expect(transcript!.segments!.map((segment) => segment.speaker)).toEqual(['speaker_0', 'speaker_1']);
    expect(transcript!.redaction_count).toBe(2);
  });

  it('prefers a Twilio transcription over speech-to-text', async () => {
    const { recording } = await seedRecording(env, companyId, {
      provider: 'twilio',
      ownerUserId,
      audio: { stream: createWavStream({ durationSeconds: 5, channels: 1, seed: 13 }).stream, format: 'wav', channels: 1 },
    });
    await seedProviderTranscript(env, companyId, twilioTranscript(recording.provider_recording_id));
    const before = deepgramRequests;

    const result = await processTranscription(
      { db: env.db, storage: env.storage, speechToText: { deepgram: speechToText } },
      { companyId, recordingId: recording.id },
      jobContext(env),
    );

    expect(result).toMatchObject({ status: 'completed', source: 'twilio' });
    expect(deepgramRequests).toBe(before);
  });

  it('fails the transcript for good when Deepgram refuses the request (4xx)', async () => {
    const { recording } = await seedRecording(env, companyId, {
      provider: 'twilio',
      ownerUserId,
      audio: { stream: createWavStream({ durationSeconds: 3, channels: 1, seed: 14 }).stream, format: 'wav', channels: 1 },
    });
    const wrongKey = createDeepgramSpeechToText({ apiKey: 'not-the-key', baseUrl: deepgramUrl });

    const outcome = processTranscription(
      { db: env.db, storage: env.storage, speechToText: { deepgram: wrongKey } },
      { companyId, recordingId: recording.id },
      jobContext(env),
    );

    await expect(outcome).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(outcome).rejects.toThrow(/401.*INVALID_AUTH/);
    expect(await transcriptOf(env, recording.id)).toMatchObject({ status: 'failed', source: 'deepgram', text: null });
    expect(await hasTranscript(env, recording.id)).toBe(false);
  });

  it('retries a Deepgram outage (5xx) and a timeout, and marks the transcript failed only on the last attempt', async () => {
    const { recording } = await seedRecording(env, companyId, {
      provider: 'twilio',
      ownerUserId,
      audio: { stream: createWavStream({ durationSeconds: 3, channels: 1, seed: 15 }).stream, format: 'wav', channels: 1 },
    });
    const payload = { companyId, recordingId: recording.id };
    const outage = await failingDeepgram(503);
    const hanging = await failingDeepgram('hang');
    try {
      const down = createDeepgramSpeechToText({ apiKey: DEEPGRAM_KEY, baseUrl: outage.url });
      const first = processTranscription(
        { db: env.db, storage: env.storage, speechToText: { deepgram: down } },
        payload,
        jobContext(env, { attempt: 1, attempts: 5 }),
      );
      await expect(first).rejects.toBeInstanceOf(SpeechToTextError);
      await expect(first).rejects.toMatchObject({ retryable: true, status: 503 });
      expect(await transcriptOf(env, recording.id)).toBeUndefined();

      const slow = createDeepgramSpeechToText({ apiKey: DEEPGRAM_KEY, baseUrl: hanging.url, timeoutMs: 300 });
      const timedOut = processTranscription(
        { db: env.db, storage: env.storage, speechToText: { deepgram: slow } },
        payload,
        jobContext(env, { attempt: 2, attempts: 5 }),
      );
      await expect(timedOut).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/timed out/) });
      expect(await transcriptOf(env, recording.id)).toBeUndefined();

      const last = processTranscription(
        { db: env.db, storage: env.storage, speechToText: { deepgram: down } },
        payload,
        jobContext(env, { attempt: 5, attempts: 5 }),
      );
      await expect(last).rejects.toMatchObject({ retryable: true });
      await expect(last).rejects.not.toBeInstanceOf(UnrecoverableError);
      expect(await transcriptOf(env, recording.id)).toMatchObject({ status: 'failed', source: 'deepgram' });
    } finally {
      await outage.close();
      await hanging.close();
    }
  });

  it('leaves the job to a retry, writing nothing, when the worker shuts down mid-request', async () => {
    const { recording } = await seedRecording(env, companyId, {
      provider: 'twilio',
      ownerUserId,
      audio: { stream: createWavStream({ durationSeconds: 3, channels: 1, seed: 16 }).stream, format: 'wav', channels: 1 },
    });
    const hanging = await failingDeepgram('hang');
    try {
      const shutdown = new AbortController();
      const slow = createDeepgramSpeechToText({ apiKey: DEEPGRAM_KEY, baseUrl: hanging.url });
      const outcome = processTranscription(
        { db: env.db, storage: env.storage, speechToText: { deepgram: slow } },
        { companyId, recordingId: recording.id },
        jobContext(env, { attempt: 5, attempts: 5, signal: shutdown.signal }),
      );
      setTimeout(() => shutdown.abort(), 200);
      await expect(outcome).rejects.toThrow();
      expect(await transcriptOf(env, recording.id)).toBeUndefined();
    } finally {
      await hanging.close();
    }
  });
});

describe('without any source', () => {
  it('marks the transcript unavailable (not failed) when no provider is configured', async () => {
    const { recording } = await seedRecording(env, companyId, {
      provider: 'twilio',
      ownerUserId,
      audio: { stream: createWavStream({ durationSeconds: 3, channels: 1, seed: 17 }).stream, format: 'wav', channels: 1 },
    });

    const result = await processTranscription({ db: env.db }, { companyId, recordingId: recording.id }, jobContext(env));

    expect(result).toEqual({ status: 'unavailable' });
    expect(await transcriptOf(env, recording.id)).toMatchObject({ status: 'unavailable', source: null, text: null, segments: null, redaction_count: 0 });
    expect(await hasTranscript(env, recording.id)).toBe(false);
  });

  it('skips a recording that is not stored', async () => {
    const { recording } = await seedRecording(env, companyId, { provider: 'twilio', ownerUserId, status: 'deleted' });
    expect(await processTranscription({ db: env.db }, { companyId, recordingId: recording.id }, jobContext(env))).toEqual({ status: 'skipped' });
    expect(await transcriptOf(env, recording.id)).toBeUndefined();
  });

  it('skips a recording of another company', async () => {
    const other = await seedCompany(env);
    const { recording } = await seedRecording(env, other.id, { provider: 'twilio' });
    expect(await processTranscription({ db: env.db }, { companyId, recordingId: recording.id }, jobContext(env))).toEqual({ status: 'skipped' });
    expect(await transcriptOf(env, recording.id)).toBeUndefined();
  });
});

describe('re-runs', () => {
  it('replace the previous transcript, keeping one row', async () => {
    const { recording } = await seedRecording(env, companyId, { provider: 'twilio', ownerUserId });
    const payload = { companyId, recordingId: recording.id };

    expect(await processTranscription({ db: env.db }, payload, jobContext(env))).toEqual({ status: 'unavailable' });
    const first = await transcriptOf(env, recording.id);

    await seedProviderTranscript(env, companyId, { ...twilioTranscript(recording.provider_recording_id), text: 'first take, card 4111111111111111' });
    expect(await processTranscription({ db: env.db }, payload, jobContext(env))).toMatchObject({ status: 'completed', redactionCount: 1 });
    expect(await transcriptOf(env, recording.id)).toMatchObject({ id: first!.id, status: 'completed', text: `first take, card ${CARD}`, redaction_count: 1 });

    await seedProviderTranscript(env, companyId, { ...twilioTranscript(recording.provider_recording_id), text: 'second take' });
    expect(await processTranscription({ db: env.db }, payload, jobContext(env))).toMatchObject({ status: 'completed', redactionCount: 0 });
    const replaced = await transcriptOf(env, recording.id);
    expect(replaced).toMatchObject({ id: first!.id, status: 'completed', text: 'second take', redaction_count: 0 });
    expect(replaced!.updated_at.getTime()).toBeGreaterThanOrEqual(first!.updated_at.getTime());
  });
});
