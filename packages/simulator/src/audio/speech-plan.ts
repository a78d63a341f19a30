/**
 * Who speaks when, in a synthetic call.
 *
 * The plan is computed before any audio and is the ground truth that analytics
 * tests compare against (talk seconds per channel, turn counts, overlaps), so it
 * is a pure function of the spec: same seed, same plan, on any machine.
 */
import { deriveSeed, mulberry32, uniform } from './prng';

export interface SpeechSpec {
  durationSeconds: number;
  /** 2 = dual-channel call recording: channel 0 is the agent, channel 1 the customer. */
  channels: 1 | 2;
  /** Integer; only its low 32 bits are used. */
  seed: number;
}

export interface SpeechSegment {
  channel: 0 | 1;
  startSeconds: number;
  endSeconds: number;
}

// Rough shape of a phone conversation. Turn lengths and gaps are drawn uniformly;
// real turn lengths are heavy-tailed, but uniform keeps tests' expectations simple.
const TURN_MIN_S = 1.5;
const TURN_MAX_S = 8;
const GAP_MIN_S = 0.2;
const GAP_MAX_S = 1.5;
const OVERLAP_PROBABILITY = 0.1;
const OVERLAP_MIN_S = 0.3;
const OVERLAP_MAX_S = 1.0;
// A turn cut to a sliver by the end of the call would be a click, not speech, and
// could not be measured reliably in 20 ms frames, so it is dropped.
const MIN_SEGMENT_S = 0.25;
// Keeps one channel's own segments apart even after two overlaps in a row, so a
// channel never has overlapping segments (its talk time is then a plain sum).
const SAME_CHANNEL_MIN_GAP_S = GAP_MIN_S;
// Separate stream from the waveform generator's, so tweaking one never moves the other.
const PLAN_SALT = 0x706c616e; // "plan"

/** Segments sorted by start; for each channel they never overlap; all lie within [0, durationSeconds]. */
export function planSpeech(spec: SpeechSpec): SpeechSegment[] {
  validateSpeechSpec(spec);
  const { durationSeconds, channels } = spec;
  const rng = mulberry32(deriveSeed(spec.seed, PLAN_SALT));
  const segments: SpeechSegment[] = [];
  const lastEnd = [-Infinity, -Infinity];
  let channel: 0 | 1 = 0;
  // Nobody talks at t=0: there is a short pickup silence, as on a real call.
  let start = roundMs(uniform(rng, GAP_MIN_S, GAP_MAX_S));

  while (start < durationSeconds) {
    const end = Math.min(roundMs(start + uniform(rng, TURN_MIN_S, TURN_MAX_S)), durationSeconds);
    if (end - start < MIN_SEGMENT_S) break;
    segments.push({ channel, startSeconds: start, endSeconds: end });
    lastEnd[channel] = end;

    const next: 0 | 1 = channels === 2 ? (channel === 0 ? 1 : 0) : 0;
    // All three values are drawn every turn, used or not, so that one turn's choice
    // does not shift the random stream (and thus every later turn).
    const overlaps = rng() < OVERLAP_PROBABILITY;
    const overlap = uniform(rng, OVERLAP_MIN_S, OVERLAP_MAX_S);
    const gap = uniform(rng, GAP_MIN_S, GAP_MAX_S);
    let nextStart = roundMs(end + gap);
    if (channels === 2 && overlaps) {
      const early = roundMs(end - overlap);
      if (early > start && early >= (lastEnd[next] ?? -Infinity) + SAME_CHANNEL_MIN_GAP_S) nextStart = early;
    }
    channel = next;
    start = nextStart;
  }
  return segments;
}

/** Total seconds of speech on one channel (the ground truth analytics should report). */
export function talkSeconds(segments: readonly SpeechSegment[], channel: 0 | 1): number {
  let total = 0;
  for (const s of segments) if (s.channel === channel) total += s.endSeconds - s.startSeconds;
  return total;
}

export function validateSpeechSpec(spec: SpeechSpec): void {
  if (!Number.isFinite(spec.durationSeconds) || spec.durationSeconds < 0) {
    throw new RangeError(`durationSeconds must be a finite number >= 0, got ${spec.durationSeconds}`);
  }
  if (spec.channels !== 1 && spec.channels !== 2) throw new RangeError(`channels must be 1 or 2, got ${spec.channels}`);
  // Non-integers would be silently truncated by the PRNG, making 1.2 and 1.7 the same call.
  if (!Number.isInteger(spec.seed)) throw new RangeError(`seed must be an integer, got ${spec.seed}`);
}

// Millisecond resolution keeps plans readable in test failures and far finer than
// the 20 ms frames analytics measure with.
function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
