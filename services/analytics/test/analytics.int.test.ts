import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertTranscript, withCompany } from '@callvault/db';
import { UnrecoverableError, type JobContext } from '@callvault/queue';
import { createMp3Stream, createWavStream, talkSeconds, type SpeechSegment } from '@callvault/simulator';
import { createTestEnvironment, seedCompany, type TestEnvironment } from '@callvault/testing';
import { processAnalytics, type CallMetrics } from '../src/index';
import { storeRecording } from './store-recording';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
});

afterAll(async () => {
  await env?.close();
});

function jobContext(): JobContext {
  return { job: { attemptsMade: 0, opts: { attempts: 1 } } as unknown as JobContext['job'], log: env.log, signal: new AbortController().signal };
}

const deps = () => ({ db: env.db, storage: env.storage });

async function metricsRows(recordingId: string) {
  return env.ownerDb.selectFrom('call_metrics').selectAll().where('recording_id', '=', recordingId).execute();
}

function expectTalkLike(metrics: CallMetrics, segments: SpeechSegment[]) {
  const [agent, customer] = [talkSeconds(segments, 0), talkSeconds(segments, 1)];
  expect(Math.abs(metrics.audio.agentTalkSeconds! - agent) / agent).toBeLessThan(0.05);
  expect(Math.abs(metrics.audio.customerTalkSeconds! - customer) / customer).toBeLessThan(0.05);
  expect(metrics.audio.talkRatio).toBeCloseTo(agent / (agent + customer), 2);
}

describe('processAnalytics', () => {
  it('measures a stored dual-channel MP3 against the ground truth, and a re-run replaces the row', async () => {
    const company = await seedCompany(env);
    const { stream, segments } = createMp3Stream({ durationSeconds: 60, channels: 2, seed: 21 });
    const { recordingId, callId } = await storeRecording(env, company.id, { format: 'mp3', channels: 2, body: stream });

    expect(await processAnalytics(deps(), { companyId: company.id, recordingId }, jobContext())).toEqual({ status: 'computed' });
    const [first, ...others] = await metricsRows(recordingId);
    expect(others).toEqual([]);
    expect(first).toMatchObject({ company_id: company.id, call_id: callId });
    const metrics = first!.metrics as CallMetrics;
    expect(metrics.audio).toMatchObject({ format: 'mp3', channels: 2, sampleRate: 8000 });
    expect(metrics.audio.durationSeconds).toBeGreaterThanOrEqual(60);
    expectTalkLike(metrics, segments);
    expect(metrics.audio.turns).toBe(segments.length - 1);
    // No transcript yet, and Twilio reports nothing beyond the call itself.
    expect(metrics.transcript).toBeNull();
    expect(metrics.provider).toBeNull();

    // The transcript arrives; the re-run picks it up and replaces the row.
    await withCompany(env.db, company.id, (tx) =>
      upsertTranscript(tx, {
        recordingId,
        status: 'completed',
        source: 'test',
        language: 'en',
        text: 'Hello, this is Acme. Hi there.',
        segments: [
          { speaker: 'agent', startSeconds: 0.5, endSeconds: 2.5, text: 'Hello, this is Acme.' },
          { speaker: 'customer', startSeconds: 3, endSeconds: 4, text: 'Hi there.' },
        ],
        redactionCount: 0,
      }),
    );
    expect(await processAnalytics(deps(), { companyId: company.id, recordingId }, jobContext())).toEqual({ status: 'computed' });
    const rows = await metricsRows(recordingId);
    expect(rows).toHaveLength(1);
    const again = rows[0]!.metrics as CallMetrics;
    expect(again.audio).toEqual(metrics.audio);
    expect(again.transcript).toEqual({
      wordCount: 6,
      speakers: [
        { speaker: 'agent', wordCount: 4, speakingSeconds: 2, wordsPerMinute: 120 },
        { speaker: 'customer', wordCount: 2, speakingSeconds: 1, wordsPerMinute: 120 },
      ],
    });
    expect(Date.parse(again.analyzedAt)).toBeGreaterThan(Date.parse(metrics.analyzedAt));
  });

  it('measures a VAPI WAV call and carries the provider’s end-of-call facts', async () => {
    const company = await seedCompany(env);
    const { stream, segments } = createWavStream({ durationSeconds: 30, channels: 2, seed: 8 });
    const { recordingId } = await storeRecording(env, company.id, {
      provider: 'vapi',
      format: 'wav',
      channels: 2,
      body: stream,
      call: { ended_reason: 'customer-ended-call', cost: 0.0875, summary: 'Asked for opening hours.', success_evaluation: 'true' },
    });
    await withCompany(env.db, company.id, (tx) =>
      upsertTranscript(tx, { recordingId, status: 'unavailable', source: null, language: null, text: null, segments: null, redactionCount: 0 }),
    );

    await processAnalytics(deps(), { companyId: company.id, recordingId }, jobContext());
    const metrics = (await metricsRows(recordingId))[0]!.metrics as CallMetrics;
    expect(metrics.audio).toMatchObject({ format: 'wav', channels: 2, durationSeconds: 30 });
    expectTalkLike(metrics, segments);
    expect(metrics.transcript).toBeNull();
    expect(metrics.provider).toEqual({
      provider: 'vapi',
      endedReason: 'customer-ended-call',
      cost: 0.0875,
      summary: 'Asked for opening hours.',
      successEvaluation: 'true',
    });
  });

  it('reports a mono recording without a party split', async () => {
    const company = await seedCompany(env);
    const { stream, segments } = createWavStream({ durationSeconds: 20, channels: 1, seed: 4 });
    const { recordingId } = await storeRecording(env, company.id, { format: 'wav', channels: 1, body: stream });
    await processAnalytics(deps(), { companyId: company.id, recordingId }, jobContext());
    const { audio } = (await metricsRows(recordingId))[0]!.metrics as CallMetrics;
    expect(Math.abs(audio.talkSeconds - talkSeconds(segments, 0)) / talkSeconds(segments, 0)).toBeLessThan(0.05);
    expect(audio).toMatchObject({ channels: 1, agentTalkSeconds: null, customerTalkSeconds: null, talkRatio: null, overlapSeconds: null, turns: null });
  });

  it('skips a recording that is not stored, unknown, or another company’s', async () => {
    const company = await seedCompany(env);
    const other = await seedCompany(env);
    const pending = await storeRecording(env, company.id, {
      format: 'wav',
      channels: 2,
      body: createWavStream({ durationSeconds: 1, channels: 2, seed: 1 }).stream,
      status: 'pending',
    });
    const stored = await storeRecording(env, company.id, {
      format: 'wav',
      channels: 2,
      body: createWavStream({ durationSeconds: 1, channels: 2, seed: 1 }).stream,
    });

    for (const payload of [
      { companyId: company.id, recordingId: pending.recordingId },
      { companyId: company.id, recordingId: randomUUID() },
      { companyId: other.id, recordingId: stored.recordingId },
    ]) {
      expect(await processAnalytics(deps(), payload, jobContext())).toEqual({ status: 'skipped', reason: 'recording is not stored' });
    }
    expect(await metricsRows(pending.recordingId)).toEqual([]);
    expect(await metricsRows(stored.recordingId)).toEqual([]);
  });

  it('fails a corrupt file once, as unrecoverable, with the reason', async () => {
    const company = await seedCompany(env);
    const garbage = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(64, 0xee)]);
    const { recordingId } = await storeRecording(env, company.id, { format: 'wav', channels: 2, body: Readable.from([garbage]) });

    const error = await processAnalytics(deps(), { companyId: company.id, recordingId }, jobContext()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe(`recording ${recordingId} cannot be analysed: WAV fmt chunk is malformed (4008636142 bytes)`);
    expect(await metricsRows(recordingId)).toEqual([]);
  });
});
