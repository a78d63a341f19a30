/**
 * Turns a speech plan into 16-bit PCM samples, on demand and for any frame range.
 *
 * Why table-driven: the simulator serves files of hundreds of MB, and per-sample
 * Math.sin would cap generation at a few MB/s. Each voice is precomputed once as a
 * one-second loop (harmonics, pitch contour, syllable envelope and breath noise all
 * baked in), so rendering is a strided copy out of a small table: speed is bounded
 * by memory bandwidth, and memory use does not depend on the call's length.
 * All frequencies in the table are whole Hz, so the one-second loop has no seam.
 */
import { deriveSeed, mulberry32, uniform, type Rng } from './prng';
import type { SpeechSegment, SpeechSpec } from './speech-plan';

export interface AudioSpec extends SpeechSpec {
  /** Hz; default 8000 (narrowband telephony, what Twilio and most SIP trunks deliver). */
  sampleRate?: number;
}

export const DEFAULT_SAMPLE_RATE = 8000;

// Levels are RMS relative to a full-scale square wave (32768), in dB.
// -20 dBFS is a typical level for telephone speech; -70 dBFS is "line noise" that
// any reasonable silence/VAD threshold (-40..-60 dBFS) treats as silence.
const SPEECH_RMS = 32768 * 10 ** (-20 / 20);
const SILENCE_PEAK = 18; // uniform noise in [-18, 18] LSB: RMS ~10.7 LSB, about -70 dBFS
// Envelope never drops below this, so every 20 ms frame inside a turn stays well
// above a silence threshold (trough ~ -27 dBFS): measured talk time then matches the plan.
const ENVELOPE_FLOOR = 0.3;
const SYLLABLE_RATE_HZ = 4;
const INTONATION_RATE_HZ = 1;
const PITCH_DEVIATION = 0.08; // +-8 % pitch contour around f0
const BREATH_NOISE = 0.04; // relative to the unit-amplitude fundamental
const HARMONIC_AMPLITUDES = [1, 0.7, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08];
// Voice 0 (agent) lower, voice 1 (customer) higher, so the two are audibly different.
const VOICE_F0_RANGES: readonly (readonly [number, number])[] = [
  [100, 160],
  [170, 250],
];
// Fade in/out at turn edges: avoids clicks (and the MP3 pre-echo they cause) while
// being far shorter than the 20 ms frames analytics use.
const EDGE_RAMP_SECONDS = 0.01;
// Odd length unrelated to any sample rate, so the noise floor does not line up with the voices.
const SILENCE_TABLE_LENGTH = 8191;
const SILENCE_CHANNEL_OFFSET = 4099;
const VOICE_SALT = 0x766f6963; // "voic"

export interface SpeechSynth {
  readonly channels: 1 | 2;
  readonly sampleRate: number;
  readonly totalFrames: number;
  /**
   * Writes frames [fromFrame, toFrame) of `channel` to out[offset], out[offset + stride], ...
   * (stride = channel count gives interleaved PCM, stride 1 planar PCM).
   */
  render(channel: 0 | 1, fromFrame: number, toFrame: number, out: Int16Array, offset: number, stride: number): void;
}

export function resolveSampleRate(spec: AudioSpec): number {
  const sampleRate = spec.sampleRate ?? DEFAULT_SAMPLE_RATE;
  if (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 192000) {
    throw new RangeError(`sampleRate must be an integer between 1000 and 192000, got ${sampleRate}`);
  }
  return sampleRate;
}

/** Number of sample frames for the spec's duration (rounded to the nearest frame). */
export function frameCount(durationSeconds: number, sampleRate: number): number {
  return Math.round(durationSeconds * sampleRate);
}

interface ChannelTrack {
  starts: Int32Array;
  ends: Int32Array;
  voice: Uint8Array;
  tableOffset: Int32Array;
  ramp: Int32Array;
}

export function createSpeechSynth(spec: AudioSpec, segments: readonly SpeechSegment[]): SpeechSynth {
  const sampleRate = resolveSampleRate(spec);
  const totalFrames = frameCount(spec.durationSeconds, sampleRate);
  const rng = mulberry32(deriveSeed(spec.seed, VOICE_SALT));
  const voices = VOICE_F0_RANGES.map(([lo, hi]) => buildVoiceTable(rng, sampleRate, lo, hi));
  const silence = buildSilenceTable(rng);
  const tracks = [buildTrack(segments, 0, spec.channels, sampleRate, rng), buildTrack(segments, 1, spec.channels, sampleRate, rng)];

  function render(channel: 0 | 1, fromFrame: number, toFrame: number, out: Int16Array, offset: number, stride: number): void {
    const track = tracks[channel]!;
    const { starts, ends } = track;
    let frame = fromFrame;
    let o = offset;
    let i = firstSegmentEndingAfter(ends, frame);
    while (frame < toFrame) {
      const segStart = i < starts.length ? starts[i]! : Number.POSITIVE_INFINITY;
      if (frame < segStart) {
        const stop = Math.min(segStart, toFrame);
        let k = (frame + channel * SILENCE_CHANNEL_OFFSET) % SILENCE_TABLE_LENGTH;
        for (let f = frame; f < stop; f++) {
          out[o] = silence[k]!;
          o += stride;
          if (++k === SILENCE_TABLE_LENGTH) k = 0;
        }
        frame = stop;
        continue;
      }
      const segEnd = ends[i]!;
      const stop = Math.min(segEnd, toFrame);
      const table = voices[track.voice[i]!]!;
      const runStartOut = o;
      let k = (frame - segStart + track.tableOffset[i]!) % sampleRate;
      for (let f = frame; f < stop; f++) {
        out[o] = table[k]!;
        o += stride;
        if (++k === sampleRate) k = 0;
      }
      applyEdgeRamps(out, runStartOut, stride, frame, stop, segStart, segEnd, track.ramp[i]!);
      frame = stop;
      if (frame === segEnd) i++;
    }
  }

  return { channels: spec.channels, sampleRate, totalFrames, render };
}

// Linear fade over the first and last `ramp` frames of a segment, for the part of
// them that falls inside the rendered run [from, to). Samples already hold the
// table value, so they are scaled in place.
function applyEdgeRamps(out: Int16Array, runStartOut: number, stride: number, from: number, to: number, segStart: number, segEnd: number, ramp: number): void {
  if (ramp <= 0) return;
  const inStop = Math.min(segStart + ramp, to);
  for (let f = from; f < inStop; f++) {
    const idx = runStartOut + (f - from) * stride;
    out[idx] = Math.round(out[idx]! * ((f - segStart + 0.5) / ramp));
  }
  const outStart = Math.max(segEnd - ramp, from);
  for (let f = outStart; f < to; f++) {
    const idx = runStartOut + (f - from) * stride;
    out[idx] = Math.round(out[idx]! * ((segEnd - f - 0.5) / ramp));
  }
}

// Binary search: index of the first segment whose end is after `frame`.
function firstSegmentEndingAfter(ends: Int32Array, frame: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! <= frame) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function buildTrack(segments: readonly SpeechSegment[], channel: 0 | 1, channels: 1 | 2, sampleRate: number, rng: Rng): ChannelTrack {
  const own = segments.filter((s) => s.channel === channel);
  const track: ChannelTrack = {
    starts: new Int32Array(own.length),
    ends: new Int32Array(own.length),
    voice: new Uint8Array(own.length),
    tableOffset: new Int32Array(own.length),
    ramp: new Int32Array(own.length),
  };
  const maxRamp = Math.round(EDGE_RAMP_SECONDS * sampleRate);
  own.forEach((s, i) => {
    const start = Math.round(s.startSeconds * sampleRate);
    const end = Math.round(s.endSeconds * sampleRate);
    track.starts[i] = start;
    track.ends[i] = end;
    // Stereo: one speaker per channel. Mono: both speakers share the channel, taking turns.
    track.voice[i] = channels === 2 ? channel : i % 2;
    // Start each turn at a random point of the loop so turns do not all begin on the same syllable.
    track.tableOffset[i] = Math.floor(rng() * sampleRate);
    track.ramp[i] = Math.min(maxRamp, Math.floor((end - start) / 2));
  });
  return track;
}

function buildVoiceTable(rng: Rng, sampleRate: number, f0Min: number, f0Max: number): Int16Array {
  // Whole-Hz fundamental: the table holds exactly f0 periods, so it loops seamlessly.
  const f0 = Math.round(uniform(rng, f0Min, f0Max));
  const nyquistGuard = 0.45 * sampleRate;
  const harmonics = HARMONIC_AMPLITUDES.map((amplitude, idx) => ({
    k: idx + 1,
    amplitude,
    phase: uniform(rng, 0, 2 * Math.PI),
  })).filter((h) => h.k * f0 * (1 + PITCH_DEVIATION) < nyquistGuard);
  const syllablePhase = uniform(rng, 0, 2 * Math.PI);
  const stressPhase = uniform(rng, 0, 2 * Math.PI);
  const intonationPhase = uniform(rng, 0, 2 * Math.PI);

  const raw = new Float64Array(sampleRate);
  let sumSquares = 0;
  for (let n = 0; n < sampleRate; n++) {
    const t = n / sampleRate;
    // Instantaneous frequency f0 * (1 + d*sin(2*pi*t)) integrated in closed form;
    // the cosine term is 1 s periodic, so the loop stays seamless.
    const phase = 2 * Math.PI * f0 * t - f0 * PITCH_DEVIATION * Math.cos(2 * Math.PI * INTONATION_RATE_HZ * t + intonationPhase);
    let voiced = 0;
    for (const h of harmonics) voiced += h.amplitude * Math.sin(h.k * phase + h.phase);
    const syllable = 0.5 - 0.5 * Math.cos(2 * Math.PI * SYLLABLE_RATE_HZ * t + syllablePhase);
    const stress = 0.7 + 0.3 * (0.5 + 0.5 * Math.sin(2 * Math.PI * INTONATION_RATE_HZ * t + stressPhase));
    const envelope = ENVELOPE_FLOOR + (1 - ENVELOPE_FLOOR) * syllable * stress;
    const sample = envelope * (voiced + BREATH_NOISE * (2 * rng() - 1));
    raw[n] = sample;
    sumSquares += sample * sample;
  }
  // Normalise to the target RMS rather than guessing a gain from the harmonic mix.
  const gain = SPEECH_RMS / Math.sqrt(sumSquares / sampleRate);
  const table = new Int16Array(sampleRate);
  for (let n = 0; n < sampleRate; n++) table[n] = Math.max(-32768, Math.min(32767, Math.round(raw[n]! * gain)));
  return table;
}

function buildSilenceTable(rng: Rng): Int16Array {
  const table = new Int16Array(SILENCE_TABLE_LENGTH);
  for (let n = 0; n < SILENCE_TABLE_LENGTH; n++) {
    table[n] = Math.floor(rng() * (2 * SILENCE_PEAK + 1)) - SILENCE_PEAK;
  }
  return table;
}
