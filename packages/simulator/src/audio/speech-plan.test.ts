import { describe, it, expect } from 'vitest';
import { planSpeech, talkSeconds, type SpeechSegment } from './speech-plan';

const EPS = 1e-9;

function gapsBetweenTurns(segments: SpeechSegment[]): number[] {
  return segments.slice(1).map((s, i) => s.startSeconds - segments[i]!.endSeconds);
}

describe('planSpeech', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = planSpeech({ durationSeconds: 300, channels: 2, seed: 7 });
    const b = planSpeech({ durationSeconds: 300, channels: 2, seed: 7 });
    const c = planSpeech({ durationSeconds: 300, channels: 2, seed: 8 });
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(10);
    expect(c).not.toEqual(a);
  });

  it('keeps every segment inside the call, sorted, and never overlaps a channel with itself', () => {
    // Violations are collected and compared once: clearer failures, and thousands
    // of individual expect() calls would dominate the test's run time.
    const violations: string[] = [];
    for (const channels of [1, 2] as const) {
      for (const durationSeconds of [0, 0.1, 1, 2.5, 17.3, 600]) {
        for (let seed = 0; seed < 30; seed++) {
          const segments = planSpeech({ durationSeconds, channels, seed });
          const lastEnd = [-Infinity, -Infinity];
          let lastStart = -Infinity;
          segments.forEach((s, i) => {
            const where = `channels=${channels} duration=${durationSeconds} seed=${seed} #${i} ${JSON.stringify(s)}`;
            const length = s.endSeconds - s.startSeconds;
            if (s.startSeconds < 0 || s.endSeconds > durationSeconds) violations.push(`outside call: ${where}`);
            if (length <= 0) violations.push(`empty: ${where}`);
            if (s.startSeconds < lastStart) violations.push(`unsorted: ${where}`);
            if (s.startSeconds <= lastEnd[s.channel]!) violations.push(`self-overlap: ${where}`);
            if (channels === 1 && s.channel !== 0) violations.push(`mono on channel 1: ${where}`);
            if (length > 8 + EPS) violations.push(`turn too long: ${where}`);
            // Only the turn cut off by the end of the call may be shorter than 1.5 s.
            if (s.endSeconds < durationSeconds && length < 1.5 - 0.001) violations.push(`turn too short: ${where}`);
            lastStart = s.startSeconds;
            lastEnd[s.channel] = s.endSeconds;
          });
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('produces an empty plan for a zero-length call', () => {
    expect(planSpeech({ durationSeconds: 0, channels: 2, seed: 1 })).toEqual([]);
  });

  it('alternates agent and customer turns with 0.2-1.5 s gaps and ~10% short overlaps', () => {
    const segments = planSpeech({ durationSeconds: 4 * 3600, channels: 2, seed: 123 });
    expect(segments[0]!.channel).toBe(0);
    for (const [i, s] of segments.slice(1).entries()) expect(s.channel).not.toBe(segments[i]!.channel);
    const gaps = gapsBetweenTurns(segments);
    let overlaps = 0;
    for (const g of gaps) {
      if (g < 0) {
        overlaps++;
        expect(-g).toBeGreaterThanOrEqual(0.3 - 0.001);
        expect(-g).toBeLessThanOrEqual(1.0 + 0.001);
      } else {
        expect(g).toBeGreaterThanOrEqual(0.2 - 0.001);
        expect(g).toBeLessThanOrEqual(1.5 + 0.001);
      }
    }
    const overlapRate = overlaps / gaps.length;
    expect(overlapRate).toBeGreaterThan(0.05);
    expect(overlapRate).toBeLessThan(0.15);
    // Both parties talk a comparable amount over a long call.
    const agent = talkSeconds(segments, 0);
    const customer = talkSeconds(segments, 1);
    expect(agent / customer).toBeGreaterThan(0.9);
    expect(agent / customer).toBeLessThan(1.1);
  });

  it('gives mono calls bursts separated by pauses, never overlapping', () => {
    const segments = planSpeech({ durationSeconds: 600, channels: 1, seed: 5 });
    for (const g of gapsBetweenTurns(segments)) {
      expect(g).toBeGreaterThanOrEqual(0.2 - 0.001);
      expect(g).toBeLessThanOrEqual(1.5 + 0.001);
    }
    const talk = talkSeconds(segments, 0);
    // Mean turn 4.75 s vs mean pause 0.85 s: speech fills roughly 85% of the call.
    expect(talk / 600).toBeGreaterThan(0.75);
    expect(talk / 600).toBeLessThan(0.92);
    expect(talkSeconds(segments, 1)).toBe(0);
  });

  it('rejects invalid specs', () => {
    expect(() => planSpeech({ durationSeconds: -1, channels: 1, seed: 1 })).toThrow(RangeError);
    expect(() => planSpeech({ durationSeconds: Number.NaN, channels: 1, seed: 1 })).toThrow(RangeError);
    expect(() => planSpeech({ durationSeconds: 10, channels: 3 as 1, seed: 1 })).toThrow(RangeError);
    expect(() => planSpeech({ durationSeconds: 10, channels: 2, seed: 1.5 })).toThrow(RangeError);
  });
});
