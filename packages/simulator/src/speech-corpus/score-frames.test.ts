import { describe, expect, it } from 'vitest';
import { scoreSpeechFrames } from './score-frames';

const flags = (pattern: string) => Uint8Array.from(pattern, (c) => (c === '1' ? 1 : 0));

describe('scoreSpeechFrames', () => {
  it('judges each frame at its centre against its own channel', () => {
    // 10 frames of 0.1 s per channel; channel 0 speaks 0.2-0.5 s, channel 1 0.6-0.8 s.
    const segments = [
      { channel: 0 as const, startSeconds: 0.2, endSeconds: 0.5 },
      { channel: 1 as const, startSeconds: 0.6, endSeconds: 0.8 },
    ];
    const perfect = scoreSpeechFrames([flags('0011100000'), flags('0000001100')], segments, 0.1);
    expect(perfect).toEqual({ frames: 20, accuracy: 1, precision: 1, recall: 1 });
    // One frame missed on channel 0, one false alarm on channel 1.
    const score = scoreSpeechFrames([flags('0011000000'), flags('0000011100')], segments, 0.1);
    expect(score.accuracy).toBeCloseTo(18 / 20);
    expect(score.precision).toBeCloseTo(4 / 5);
    expect(score.recall).toBeCloseTo(4 / 5);
  });
});
