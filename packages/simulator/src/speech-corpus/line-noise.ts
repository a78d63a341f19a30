/**
 * What a phone line adds to a voice: a noise floor (white hiss or the pink rumble of a poor line)
 * at a stated signal-to-noise ratio, and sometimes mains hum. Seeded, so a call is the same call
 * every time.
 */
import type { Rng } from '../audio/prng';

export interface LineNoise {
  /** Shown in reports. */
  name: string;
  colour: 'white' | 'pink';
  /** Speech level over noise level (both RMS), in dB. */
  snrDb: number;
  /** 50 Hz hum with its odd harmonics, this many dB below the speech level; none when absent. */
  humBelowSpeechDb?: number;
}

/** The corpus's noise conditions, from a clean digital line to a bad one. */
export const LINE_NOISE_LEVELS: readonly LineNoise[] = [
  { name: 'clean (50 dB SNR)', colour: 'white', snrDb: 50 },
  { name: 'white 20 dB SNR', colour: 'white', snrDb: 20 },
  { name: 'pink 10 dB SNR', colour: 'pink', snrDb: 10 },
  { name: 'pink 5 dB SNR + hum', colour: 'pink', snrDb: 5, humBelowSpeechDb: 15 },
];

const HUM_HZ = 50;
const HUM_HARMONICS = [1, 0.5, 0.25]; // 50, 150, 250 Hz

/** Adds `noise` to `channel` in place, for speech whose RMS is `speechRms`. */
export function addLineNoise(channel: Float32Array, noise: LineNoise, speechRms: number, sampleRate: number, rng: Rng): void {
  const floor = noise.colour === 'white' ? whiteNoise(channel.length, rng) : pinkNoise(channel.length, rng);
  const gain = (speechRms * 10 ** (-noise.snrDb / 20)) / rms(floor);
  for (let i = 0; i < channel.length; i++) channel[i]! += gain * floor[i]!;
  if (noise.humBelowSpeechDb === undefined) return;
  const phase = rng() * 2 * Math.PI;
  const norm = Math.sqrt(HUM_HARMONICS.reduce((sum, a) => sum + (a * a) / 2, 0));
  const humGain = (speechRms * 10 ** (-noise.humBelowSpeechDb / 20)) / norm;
  for (let i = 0; i < channel.length; i++) {
    const t = i / sampleRate;
    let hum = 0;
    HUM_HARMONICS.forEach((amplitude, h) => {
      hum += amplitude * Math.sin(2 * Math.PI * HUM_HZ * (2 * h + 1) * t + phase);
    });
    channel[i]! += humGain * hum;
  }
}

function whiteNoise(length: number, rng: Rng): Float32Array {
  return Float32Array.from({ length }, () => 2 * rng() - 1);
}

/** Paul Kellet's economy filter: -3 dB per octave from white noise, close enough for a line. */
function pinkNoise(length: number, rng: Rng): Float32Array {
  const out = new Float32Array(length);
  let [b0, b1, b2] = [0, 0, 0];
  for (let i = 0; i < length; i++) {
    const white = 2 * rng() - 1;
    b0 = 0.99765 * b0 + white * 0.099046;
    b1 = 0.963 * b1 + white * 0.2965164;
    b2 = 0.57 * b2 + white * 1.0526913;
    out[i] = b0 + b1 + b2 + white * 0.1848;
  }
  return out;
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / Math.max(1, samples.length));
}
