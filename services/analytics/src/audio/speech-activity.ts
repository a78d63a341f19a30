/**
 * Who talks when, from per-frame levels (dBFS), and what that says about the conversation.
 * Pure maths on arrays: no audio, no I/O, so every rule here is unit-tested on hand-made frames.
 */

export interface ActivityOptions {
  /** Frame level that stands for the line's noise floor (a low percentile: quiet frames, not the quietest). */
  noisePercentile: number;
  /**
   * Frame level that stands for speech: near the top, so a party who only says "yes" once in a
   * long call still has a speech level, yet a click or two cannot set it.
   */
  speechPercentile: number;
  /** Speech is this far above the noise floor at most; with less dynamic range, `marginShare` of it. */
  maxMarginDb: number;
  /**
   * The threshold's share of the spread between noise floor and speech peaks. On a noisy line
   * much of real speech (weak consonants, word ends, a quieter caller) sits in the lower part of
   * that spread, so the threshold stays in its lower third.
   */
  marginShare: number;
  /** Below this spread between noise and speech levels a channel is uniform: all speech or all silence. */
  minDynamicRangeDb: number;
  /** What decides a uniform channel: louder than this is (constant) speech. */
  uniformSpeechDb: number;
  /** Hangover: dips of at most this many frames inside speech stay speech (stops, breaths). */
  bridgeFrames: number;
  /** Shorter bursts are clicks or line noise, not speech. */
  minBurstFrames: number;
  /** A monologue continues across its speaker's pauses shorter than this (while the other party is silent). */
  monologueGapFrames: number;
}

/**
 * Tuned for 20 ms frames. The bridge stays under the shortest pause between one speaker's own
 * turns (0.2 s in the simulator's plan, and shorter than a real turn-taking gap), so it never
 * merges two turns and talk time is not inflated.
 */
export const DEFAULT_ACTIVITY_OPTIONS: ActivityOptions = {
  noisePercentile: 0.05,
  speechPercentile: 0.999,
  maxMarginDb: 15,
  // A third, not the half it was: on the speech corpus (bench:analytics, docs/talk-metrics.md) the half
  // missed up to 30-53 % of a party's talk on lines at 20 to 5 dB SNR, a third up to 12-20 %; a
  // clean line and the simulator's tones (whose spread caps the margin at 15 dB) read the same.
  marginShare: 1 / 3,
  minDynamicRangeDb: 10,
  uniformSpeechDb: -45,
  bridgeFrames: 5,
  minBurstFrames: 2,
  monologueGapFrames: 50,
};

/** The level a frame must exceed to count as speech on this channel. */
export function speechThresholdDb(levelsDb: Float32Array, options: ActivityOptions = DEFAULT_ACTIVITY_OPTIONS): number {
  if (levelsDb.length === 0) return Number.POSITIVE_INFINITY;
  const sorted = Float32Array.from(levelsDb).sort();
  const noiseDb = percentile(sorted, options.noisePercentile);
  const speechDb = percentile(sorted, options.speechPercentile);
  const rangeDb = speechDb - noiseDb;
  if (rangeDb < options.minDynamicRangeDb) {
    // No contrast to split on: the whole channel is one thing, judged by its absolute level.
    return noiseDb > options.uniformSpeechDb ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return noiseDb + Math.min(options.maxMarginDb, rangeDb * options.marginShare);
}

/** One flag per frame: 1 while the channel's speaker talks. */
export function detectSpeech(levelsDb: Float32Array, options: ActivityOptions = DEFAULT_ACTIVITY_OPTIONS): Uint8Array {
  const threshold = speechThresholdDb(levelsDb, options);
  const active = new Uint8Array(levelsDb.length);
  for (let f = 0; f < levelsDb.length; f++) active[f] = levelsDb[f]! > threshold ? 1 : 0;
  bridgeShortGaps(active, options.bridgeFrames);
  dropShortBursts(active, options.minBurstFrames);
  return active;
}

/** Fills runs of at most `maxGap` inactive frames that have speech on both sides (in place). */
export function bridgeShortGaps(active: Uint8Array, maxGap: number): Uint8Array {
  let lastActive = -1;
  for (let f = 0; f < active.length; f++) {
    if (!active[f]) continue;
    const gap = f - lastActive - 1;
    if (lastActive >= 0 && gap > 0 && gap <= maxGap) active.fill(1, lastActive + 1, f);
    lastActive = f;
  }
  return active;
}

/** Clears runs of active frames shorter than `minLength` (in place). */
export function dropShortBursts(active: Uint8Array, minLength: number): Uint8Array {
  let start = -1;
  for (let f = 0; f <= active.length; f++) {
    const on = f < active.length && active[f] === 1;
    if (on && start < 0) start = f;
    if (!on && start >= 0) {
      if (f - start < minLength) active.fill(0, start, f);
      start = -1;
    }
  }
  return active;
}

/** Frame counts for a two-party call (party 0 = agent, party 1 = customer). */
export interface ConversationFrames {
  frames: number;
  agentFrames: number;
  customerFrames: number;
  /** Frames where at least one party talks. */
  talkFrames: number;
  overlapFrames: number;
  silenceFrames: number;
  longestMonologueFrames: number;
  /** The party of the longest monologue, or null when nobody ever talked alone. */
  longestMonologueParty: 0 | 1 | null;
  /** How often the floor passed from one party to the other. */
  turns: number;
}

export function analyzeConversation(
  agent: Uint8Array,
  customer: Uint8Array,
  monologueGapFrames = DEFAULT_ACTIVITY_OPTIONS.monologueGapFrames,
): ConversationFrames {
  if (agent.length !== customer.length) throw new RangeError('both parties need one flag per frame');
  let agentFrames = 0;
  let customerFrames = 0;
  let overlapFrames = 0;
  let silenceFrames = 0;
  let turns = 0;
  // The floor belongs to whoever last talked alone; talking over someone does not take it.
  let floor = -1;
  for (let f = 0; f < agent.length; f++) {
    const a = agent[f] === 1;
    const c = customer[f] === 1;
    agentFrames += a ? 1 : 0;
    customerFrames += c ? 1 : 0;
    if (a && c) overlapFrames++;
    else if (!a && !c) silenceFrames++;
    else {
      const solo = a ? 0 : 1;
      if (floor >= 0 && solo !== floor) turns++;
      floor = solo;
    }
  }
  const agentMonologue = longestMonologue(agent, customer, monologueGapFrames);
  const customerMonologue = longestMonologue(customer, agent, monologueGapFrames);
  const longest = Math.max(agentMonologue, customerMonologue);
  return {
    frames: agent.length,
    agentFrames,
    customerFrames,
    talkFrames: agent.length - silenceFrames,
    overlapFrames,
    silenceFrames,
    longestMonologueFrames: longest,
    longestMonologueParty: longest === 0 ? null : agentMonologue >= customerMonologue ? 0 : 1,
    turns,
  };
}

/**
 * Longest stretch of `speaker` talking alone, from its first to its last solo frame, carried
 * across its own pauses shorter than `maxGap` frames. The other party talking (alone or over
 * the speaker) ends the stretch.
 */
export function longestMonologue(speaker: Uint8Array, other: Uint8Array, maxGap: number): number {
  let best = 0;
  let start = -1;
  let end = -1;
  for (let f = 0; f < speaker.length; f++) {
    if (other[f] === 1) {
      start = -1;
    } else if (speaker[f] === 1) {
      if (start < 0 || f - end >= maxGap) start = f;
      end = f + 1;
      best = Math.max(best, end - start);
    }
  }
  return best;
}

/** The value at fraction `p` of an ascending array (nearest rank). */
function percentile(sorted: Float32Array, p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index]!;
}
