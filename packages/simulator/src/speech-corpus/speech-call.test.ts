import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { talkSeconds, type SpeechSegment } from '../audio/speech-plan';
import { LINE_NOISE_LEVELS } from './line-noise';
import { createSpeechCall, type SpeechCall } from './speech-call';
import { loadUtteranceBank } from './utterance-bank';

const FRAME = 0.02;

/** RMS level (dBFS) of each 20 ms frame of one channel of the call's WAV. */
function frameLevels(call: SpeechCall, channel: 0 | 1): number[] {
  const samples = call.wav.subarray(44);
  const frameLength = FRAME * call.sampleRate;
  const frames = Math.floor(samples.length / 4 / frameLength);
  return Array.from({ length: frames }, (_, f) => {
    let sum = 0;
    for (let i = f * frameLength; i < (f + 1) * frameLength; i++) sum += samples.readInt16LE((i * 2 + channel) * 2) ** 2;
    return 10 * Math.log10(sum / frameLength / 32768 ** 2 + 1e-12);
  });
}

/** Frames wholly inside one of the channel's segments, and frames at least `margin` s from all of them. */
function insideAndOutside(segments: SpeechSegment[], channel: 0 | 1, levels: number[], margin: number) {
  const own = segments.filter((s) => s.channel === channel);
  const inside: number[] = [];
  const outside: number[] = [];
  levels.forEach((level, f) => {
    const [a, b] = [f * FRAME, (f + 1) * FRAME];
    if (own.some((s) => s.startSeconds <= a && b <= s.endSeconds)) inside.push(level);
    else if (!own.some((s) => s.startSeconds - margin < b && a < s.endSeconds + margin)) outside.push(level);
  });
  return { inside, outside };
}

const power = (levels: number[]) => 10 * Math.log10(levels.reduce((sum, db) => sum + 10 ** (db / 10), 0) / levels.length);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the utterance bank', () => {
  it('holds clips trimmed to their speech, whose spans are apart by more than a talk-spurt gap', async () => {
    const bank = await loadUtteranceBank();
    const clips = [...bank.turns.agent, ...bank.turns.caller, ...bank.backchannels.agent, ...bank.backchannels.caller];
    expect(clips.length).toBeGreaterThan(25);
    for (const { text, samples, spans } of clips) {
      const seconds = samples.length / 8000;
      expect(spans[0]![0], text).toBeCloseTo(0, 2);
      expect(spans.at(-1)![1], text).toBeCloseTo(seconds, 2);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0] - spans[i - 1]![1], text).toBeGreaterThanOrEqual(0.2);
      // Real phrases: a backchannel a few hundred ms, a sentence a few seconds.
      expect(seconds, text).toBeGreaterThan(0.2);
      expect(seconds, text).toBeLessThan(6);
    }
  });
});

describe('createSpeechCall', () => {
  it('lays out a conversation: both parties, some overlap, silences, segments inside the call', async () => {
    let overlapping = 0;
    for (const seed of [1, 2, 3, 4]) {
      const call = await createSpeechCall({ durationSeconds: 60, seed });
      const { segments } = call;
      expect(call.durationSeconds).toBe(60);
      expect(call.wav.length).toBe(44 + 60 * 8000 * 4);
      for (const channel of [0, 1] as const) {
        const own = segments.filter((s) => s.channel === channel);
        expect(talkSeconds(segments, channel)).toBeGreaterThan(12);
        for (let i = 1; i < own.length; i++) expect(own[i]!.startSeconds).toBeGreaterThan(own[i - 1]!.endSeconds);
      }
      for (const s of segments) {
        expect(s.startSeconds).toBeGreaterThan(0);
        expect(s.endSeconds).toBeLessThanOrEqual(59.5);
      }
      expect(segments.map((s) => s.startSeconds)).toEqual([...segments.map((s) => s.startSeconds)].sort((a, b) => a - b));
      const agent = segments.filter((s) => s.channel === 0);
      const caller = segments.filter((s) => s.channel === 1);
      overlapping += agent.filter((a) => caller.some((c) => c.startSeconds < a.endSeconds && a.startSeconds < c.endSeconds)).length;
      expect(talkSeconds(segments, 0) + talkSeconds(segments, 1)).toBeLessThan(55);
    }
    expect(overlapping).toBeGreaterThan(0);
  });

  it('keeps every phrase inside the call and apart from its own party’s, whatever the length', async () => {
    const violations: string[] = [];
    for (const durationSeconds of [3, 7.5, 20, 45]) {
      for (let seed = 0; seed < 12; seed++) {
        const { segments, wav } = await createSpeechCall({ durationSeconds, seed });
        const where = `${durationSeconds} s, seed ${seed}`;
        if (wav.length !== 44 + Math.round(durationSeconds * 8000) * 4) violations.push(`size: ${where}`);
        for (const s of segments) if (s.startSeconds <= 0 || s.endSeconds > durationSeconds - 0.5) violations.push(`outside: ${where} ${JSON.stringify(s)}`);
        for (const channel of [0, 1]) {
          const own = segments.filter((s) => s.channel === channel);
          for (let i = 1; i < own.length; i++) if (own[i]!.startSeconds <= own[i - 1]!.endSeconds) violations.push(`self-overlap: ${where}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('puts the speech where the ground truth says, and only line noise elsewhere', async () => {
    const call = await createSpeechCall({ durationSeconds: 60, seed: 11 });
    for (const channel of [0, 1] as const) {
      const { inside, outside } = insideAndOutside(call.segments, channel, frameLevels(call, channel), 0.05);
      // Speech levels: the agent at -20 dBFS, the caller between -28 and -22.
      expect(power(inside)).toBeGreaterThan(channel === 0 ? -21 : -29);
      expect(power(inside)).toBeLessThan(channel === 0 ? -19 : -21);
      // Outside the segments the line's floor, 50 dB down; at most a phrase's faint breath between
      // two of its spans, which the bank counts as silence (40 dB under the phrase's loudest 10 ms).
      const sorted = [...outside].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length * 0.95)]!).toBeLessThan(power(inside) - 45);
      expect(sorted.at(-1)!).toBeLessThan(power(inside) - 30);
    }
  });

  it('adds line noise at the stated signal-to-noise ratio', async () => {
    for (const noise of LINE_NOISE_LEVELS.slice(1)) {
      const call = await createSpeechCall({ durationSeconds: 30, seed: 5, noise });
      const clean = await createSpeechCall({ durationSeconds: 30, seed: 5 });
      // Same conversation, only the line differs.
      expect(call.segments).toEqual(clean.segments);
      for (const channel of [0, 1] as const) {
        const speech = power(insideAndOutside(clean.segments, channel, frameLevels(clean, channel), 0.05).inside);
        const floor = power(insideAndOutside(call.segments, channel, frameLevels(call, channel), 0.05).outside);
        const hum = noise.humBelowSpeechDb === undefined ? 0 : 10 ** (-noise.humBelowSpeechDb / 10);
        const expected = speech + 10 * Math.log10(10 ** (-noise.snrDb / 10) + hum);
        expect(Math.abs(floor - expected), noise.name).toBeLessThan(1);
      }
    }
  });

  // The other process synthesizes the whole phrase bank again: seconds, more on a busy machine.
  it('is the same call, byte for byte, in another process; another seed is another call', { timeout: 60_000 }, async () => {
    const call = await createSpeechCall({ durationSeconds: 20, seed: 3, noise: LINE_NOISE_LEVELS[3] });
    const script = `import { createSpeechCall, LINE_NOISE_LEVELS } from './index.ts';
      import { createHash } from 'node:crypto';
      const call = await createSpeechCall({ durationSeconds: 20, seed: 3, noise: LINE_NOISE_LEVELS[3] });
      console.log(createHash('sha256').update(call.wav).digest('hex'));`;
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd });
    expect(stdout.trim()).toBe(sha256(call.wav));
    const other = await createSpeechCall({ durationSeconds: 20, seed: 4, noise: LINE_NOISE_LEVELS[3] });
    expect(sha256(other.wav)).not.toBe(sha256(call.wav));
  });

  it('refuses a seed that is not an integer and an empty call', async () => {
    await expect(createSpeechCall({ durationSeconds: 10, seed: 1.5 })).rejects.toThrow(RangeError);
    await expect(createSpeechCall({ durationSeconds: 0, seed: 1 })).rejects.toThrow(RangeError);
  });
});
