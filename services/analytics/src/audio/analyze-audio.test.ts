import { describe, expect, it } from 'vitest';
import { createMp3Stream, createWavStream, talkSeconds, type SpeechSegment } from '@callvault/simulator';
import { analyzeAudio, FRAME_SECONDS, type AudioMetrics } from './analyze-audio';
import { analyzeConversation } from './speech-activity';
import { UndecodableAudioError } from './undecodable-audio-error';

/** What a perfect detector would report for the simulator's plan. */
function truthOf(segments: SpeechSegment[], durationSeconds: number) {
  const intervals = (channel: 0 | 1) => segments.filter((s) => s.channel === channel).map((s) => [s.startSeconds, s.endSeconds] as const);
  let overlap = 0;
  for (const [a0, a1] of intervals(0)) for (const [b0, b1] of intervals(1)) overlap += Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  const agent = talkSeconds(segments, 0);
  const customer = talkSeconds(segments, 1);
  // Turns and monologues follow the same rules as the detector, applied to the plan drawn in 20 ms frames.
  const frames = Math.round(durationSeconds / FRAME_SECONDS);
  const flags = (channel: 0 | 1) => {
    const out = new Uint8Array(frames);
    for (const [start, end] of intervals(channel)) out.fill(1, Math.round(start / FRAME_SECONDS), Math.round(end / FRAME_SECONDS));
    return out;
  };
  const conversation = analyzeConversation(flags(0), flags(1));
  return {
    agent,
    customer,
    overlap,
    silence: durationSeconds - (agent + customer - overlap),
    turns: conversation.turns,
    longestMonologue: conversation.longestMonologueFrames * FRAME_SECONDS,
  };
}

const relativeError = (measured: number, truth: number) => Math.abs(measured - truth) / truth;

function expectCloseToTruth(audio: AudioMetrics, truth: ReturnType<typeof truthOf>) {
  // Talk per party: the acceptance bar is 5 %; we hold 2 % so a regression shows long before it.
  // The detector's bias is about one 20 ms frame per turn edge (a frame partly inside a turn
  // is loud enough to count), i.e. +0.2-0.5 % on these calls.
  expect(relativeError(audio.agentTalkSeconds!, truth.agent)).toBeLessThan(0.02);
  expect(relativeError(audio.customerTalkSeconds!, truth.customer)).toBeLessThan(0.02);
  // Overlap is made of 0.3-1 s pieces whose two edges may each be off by a frame: 0.25 s absolute.
  // Silence is the complement of the union of both parties' talk, so it carries both parties'
  // edge errors, and MP3 decoding adds ~0.2 s of noise floor past the call's end: 0.5 s absolute.
  expect(Math.abs(audio.overlapSeconds! - truth.overlap)).toBeLessThan(0.25);
  expect(Math.abs(audio.silenceSeconds - truth.silence)).toBeLessThan(0.5);
  // Turns are counted by the same rule on both sides and every handover is clear: exact.
  // The longest monologue may gain a frame at each end.
  expect(audio.turns).toBe(truth.turns);
  expect(Math.abs(audio.longestMonologueSeconds! - truth.longestMonologue)).toBeLessThan(0.1);
}

async function* bytes(buffer: Uint8Array, chunk: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < buffer.length; at += chunk) yield buffer.subarray(at, at + chunk);
}

describe('analyzeAudio against the simulator ground truth', () => {
  for (const seed of [1, 7, 42]) {
    it(`measures a 60 s dual-channel WAV (seed ${seed})`, async () => {
      const { stream, segments } = createWavStream({ durationSeconds: 60, channels: 2, seed });
      const audio = await analyzeAudio(stream);
      const truth = truthOf(segments, 60);
      expect(audio).toMatchObject({ format: 'wav', channels: 2, sampleRate: 8000, durationSeconds: 60 });
      expectCloseToTruth(audio, truth);
      expect(audio.talkRatio).toBeCloseTo(truth.agent / (truth.agent + truth.customer), 2);
    });

    it(`measures a 60 s dual-channel MP3 (seed ${seed})`, async () => {
      const { stream, segments } = createMp3Stream({ durationSeconds: 60, channels: 2, seed });
      const audio = await analyzeAudio(stream);
      const truth = truthOf(segments, 60);
      expect(audio).toMatchObject({ format: 'mp3', channels: 2, sampleRate: 8000 });
      expect(audio.durationSeconds).toBeGreaterThanOrEqual(60);
      expect(audio.durationSeconds).toBeLessThan(60.4);
      expectCloseToTruth(audio, truth);
    });
  }

  it('reports mono as talk and silence only, with the party split unknown', async () => {
    for (const make of [createWavStream, createMp3Stream]) {
      const { stream, segments } = make({ durationSeconds: 30, channels: 1, seed: 5 });
      const audio = await analyzeAudio(stream);
      const truth = talkSeconds(segments, 0);
      expect(relativeError(audio.talkSeconds, truth)).toBeLessThan(0.05);
      expect(audio).toMatchObject({
        channels: 1,
        agentTalkSeconds: null,
        customerTalkSeconds: null,
        talkRatio: null,
        overlapSeconds: null,
        turns: null,
        longestMonologueSeconds: null,
      });
      expect(Math.abs(audio.silenceSeconds - (audio.durationSeconds - truth))).toBeLessThan(1);
    }
  });

  it('gives the same answer however the bytes are split', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of createWavStream({ durationSeconds: 10, channels: 2, seed: 3 }).stream) chunks.push(chunk as Buffer);
    const wav = Buffer.concat(chunks);
    const whole = await analyzeAudio(bytes(wav, wav.length));
    expect(await analyzeAudio(bytes(wav, 7))).toEqual(whole);
    expect(await analyzeAudio(bytes(wav, 4097))).toEqual(whole);
  });

  it('refuses what is not audio', async () => {
    await expect(analyzeAudio(bytes(Buffer.from('<html>not found</html>'), 64))).rejects.toThrow(UndecodableAudioError);
    await expect(analyzeAudio(bytes(Buffer.alloc(0), 64))).rejects.toThrow(/empty/);
    // An MP3 sync word followed by noise: looks like MP3 for four bytes, decodes to nothing.
    const noise = Buffer.alloc(20_000);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    noise.set([0xff, 0xe3, 0x48, 0xc4], 0);
    await expect(analyzeAudio(bytes(noise, 4096))).rejects.toThrow(UndecodableAudioError);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { stream } = createWavStream({ durationSeconds: 5, channels: 2, seed: 1 });
    await expect(analyzeAudio(stream, { signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});
