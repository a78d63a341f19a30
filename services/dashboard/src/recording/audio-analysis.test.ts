import { describe, expect, it } from 'vitest';
import { analyseChannels } from './audio-analysis';

const RATE = 8000;
function tone(seconds: number, talkingFrom: number, talkingTo: number): Float32Array {
  const samples = new Float32Array(seconds * RATE);
  for (let i = Math.floor(talkingFrom * RATE); i < talkingTo * RATE; i += 1) samples[i] = 0.5 * Math.sin((2 * Math.PI * 220 * i) / RATE);
  return samples;
}

describe('waveform and talk timeline from decoded audio', () => {
  it('finds when each channel talks', () => {
    const picture = analyseChannels([tone(6, 1, 2.5), tone(6, 3, 5)], RATE, 60);
    expect(picture.durationSeconds).toBe(6);
    expect(picture.talk[0]).toHaveLength(1);
    expect(picture.talk[0]![0]![0]).toBeCloseTo(1, 1);
    expect(picture.talk[0]![0]![1]).toBeCloseTo(2.5, 1);
    expect(picture.talk[1]![0]![0]).toBeCloseTo(3, 1);
    expect(picture.peaks[0]![0]).toBe(0);
    expect(picture.peaks[0]![15]).toBeGreaterThan(0.4);
  });

  it('finds no talk in silence', () => {
    expect(analyseChannels([new Float32Array(RATE * 2)], RATE, 10).talk).toEqual([[]]);
  });
});
