import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProducer, createRedis, describeJob, runWorker, type Producer, type RunningWorker, type RedisClient } from '@callvault/queue';
import { createSpeechCall, LINE_NOISE_LEVELS, talkSeconds, type SpeechCall } from '@callvault/simulator';
import { createTestEnvironment, seedCompany, waitFor, type TestEnvironment } from '@callvault/testing';
import { processAnalytics, type CallMetrics } from '../src/index';
import { storeRecording } from './store-recording';

// What the worker promises on real speech (the speech corpus: eSpeak NG voices, turns, overlaps,
// backchannels, line noise), per line in LINE_NOISE_LEVELS order: the error of each party's talk
// time (relative) and of the talk ratio (absolute). On noisy lines the quietest parts of speech
// sink into the noise, so talk time comes out short; both parties lose alike, so the ratio holds
// better. Set from 40 calls per line (docs/talk-metrics.md) with some room. WebRTC VAD misses the
// ratio of a pink-noise line by 11 points at the median, and the threshold as it was before
// missed up to half of a party's talk on noisy lines: either fails here.
const TOLERANCES = [
  { talk: 0.08, ratio: 0.02 }, // clean
  { talk: 0.25, ratio: 0.06 }, // white 20 dB
  { talk: 0.25, ratio: 0.06 }, // pink 10 dB
  { talk: 0.3, ratio: 0.1 }, // pink 5 dB + hum
];

let env: TestEnvironment;
let workerRedis: RedisClient;
let producer: Producer;
let worker: RunningWorker;

beforeAll(async () => {
  env = await createTestEnvironment();
  workerRedis = createRedis(env.redis, 'worker');
  producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
  worker = runWorker({
    queue: 'analytics',
    connection: workerRedis,
    prefix: env.config.QUEUE_PREFIX,
    concurrency: 2,
    log: env.log,
    process: (payload, context) => processAnalytics({ db: env.db, storage: env.storage }, payload, context),
  });
});

afterAll(async () => {
  await worker?.close(1_000);
  await producer?.queue('analytics').obliterate({ force: true });
  await producer?.close();
  workerRedis?.disconnect();
  await env?.close();
});

describe('the analytics worker on the speech corpus', () => {
  it('measures talk time per party and the talk ratio of real speech on every line, through the queue', { timeout: 90_000 }, async () => {
    const company = await seedCompany(env);
    const calls: Array<{ call: SpeechCall; recordingId: string }> = [];
    for (const [index, noise] of LINE_NOISE_LEVELS.entries()) {
      const call = await createSpeechCall({ durationSeconds: 60, seed: 31 + index, noise });
      const { recordingId } = await storeRecording(env, company.id, { format: 'wav', channels: 2, body: Readable.from([call.wav]) });
      calls.push({ call, recordingId });
    }
    await producer.enqueueMany(calls.map(({ recordingId }) => describeJob('analytics', { companyId: company.id, recordingId })));

    for (const { call, recordingId } of calls) {
      const row = await waitFor(
        async () => env.ownerDb.selectFrom('call_metrics').select('metrics').where('recording_id', '=', recordingId).executeTakeFirst(),
        { timeoutMs: 60_000, what: `metrics of the ${call.noise.name} call` },
      );
      const { audio } = row.metrics as CallMetrics;
      const [agent, caller] = [talkSeconds(call.segments, 0), talkSeconds(call.segments, 1)];
      const tolerance = TOLERANCES[LINE_NOISE_LEVELS.indexOf(call.noise)]!;
      const where = `${call.noise.name}: agent ${audio.agentTalkSeconds} s of ${agent.toFixed(2)}, caller ${audio.customerTalkSeconds} s of ${caller.toFixed(2)}`;
      expect(Math.abs(audio.agentTalkSeconds! - agent) / agent, where).toBeLessThan(tolerance.talk);
      expect(Math.abs(audio.customerTalkSeconds! - caller) / caller, where).toBeLessThan(tolerance.talk);
      expect(Math.abs(audio.talkRatio! - agent / (agent + caller)), where).toBeLessThan(tolerance.ratio);
      expect(audio).toMatchObject({ format: 'wav', channels: 2, sampleRate: 8000, durationSeconds: 60 });
    }
  });
});
