/**
 * A dual-channel call made of real synthesized speech (channel 0 the agent, channel 1 the
 * caller), with the ground truth of who speaks when: turns of one or two phrases, answers that
 * start before the other party has finished, short "yes"/"okay" said over the other party,
 * silences, and line noise on both legs. Deterministic for a seed.
 */
import { deriveSeed, mulberry32, uniform, type Rng } from '../audio/prng';
import type { SpeechSegment } from '../audio/speech-plan';
import { wavHeader } from '../audio/wav-stream';
import { addLineNoise, LINE_NOISE_LEVELS, type LineNoise } from './line-noise';
import { CORPUS_SAMPLE_RATE, loadUtteranceBank, type Party, type Utterance, type UtteranceBank } from './utterance-bank';

export interface SpeechCallSpec {
  durationSeconds: number;
  /** Integer; only its low 32 bits are used. */
  seed: number;
  /** Default: the first (clean) of LINE_NOISE_LEVELS. */
  noise?: LineNoise;
}

export interface SpeechCall {
  sampleRate: number;
  durationSeconds: number;
  noise: LineNoise;
  /** Ground truth, sorted by start: channel 0 the agent, 1 the caller; a channel's own segments never overlap. */
  segments: SpeechSegment[];
  /** The recording as a 16-bit PCM WAV, as a provider would deliver it. */
  wav: Buffer;
  /** The same samples, one array per channel (agent, caller). */
  pcm: readonly [Int16Array, Int16Array];
}

interface Placement {
  party: Party;
  utterance: Utterance;
  startSeconds: number;
}

const PARTIES: readonly Party[] = ['agent', 'caller'];
const CHANNEL: Record<Party, 0 | 1> = { agent: 0, caller: 1 };
// Conversation shape, in seconds.
const PICKUP = [0.5, 1.5] as const;
const PAUSE_IN_TURN = [0.3, 0.8] as const;
const GAP_BETWEEN_TURNS = [0.25, 1.2] as const;
const OVERLAP = [0.2, 0.6] as const;
const OVERLAP_PROBABILITY = 0.15;
const SECOND_PHRASE_PROBABILITY = 0.35;
const BACKCHANNEL_PROBABILITY = 0.3;
const BACKCHANNEL_MIN_TURN = 2.5;
// A party never starts again sooner than this after its own last phrase: its segments stay apart.
const SAME_PARTY_MIN_GAP = 0.3;
const END_SILENCE = 0.5;
// Speech levels (RMS, dBFS): the agent's headset is steady, the caller's line varies per call.
const AGENT_LEVEL_DB = -20;
const CALLER_LEVEL_DB = [-28, -22] as const;
const CALL_SALT = 0x63616c6c; // "call"
const NOISE_SALT = 0x6e6f6973; // "nois"

export async function createSpeechCall(spec: SpeechCallSpec): Promise<SpeechCall> {
  if (!Number.isInteger(spec.seed)) throw new RangeError(`seed must be an integer, got ${spec.seed}`);
  if (!(spec.durationSeconds > 0)) throw new RangeError(`durationSeconds must be positive, got ${spec.durationSeconds}`);
  const noise = spec.noise ?? LINE_NOISE_LEVELS[0]!;
  const rng = mulberry32(deriveSeed(spec.seed, CALL_SALT));
  const placements = planConversation(await loadUtteranceBank(), spec.durationSeconds, rng);
  const levels = { agent: 10 ** (AGENT_LEVEL_DB / 20), caller: 10 ** (uniform(rng, ...CALLER_LEVEL_DB) / 20) };

  const length = Math.round(spec.durationSeconds * CORPUS_SAMPLE_RATE);
  const channels = [new Float32Array(length), new Float32Array(length)] as const;
  const segments: SpeechSegment[] = [];
  for (const { party, utterance, startSeconds } of placements) {
    const at = Math.round(startSeconds * CORPUS_SAMPLE_RATE);
    const channel = channels[CHANNEL[party]];
    for (let i = 0; i < utterance.samples.length; i++) channel[at + i]! += levels[party] * utterance.samples[i]!;
    for (const [start, end] of utterance.spans) {
      segments.push({ channel: CHANNEL[party], startSeconds: roundMs(at / CORPUS_SAMPLE_RATE + start), endSeconds: roundMs(at / CORPUS_SAMPLE_RATE + end) });
    }
  }
  segments.sort((a, b) => a.startSeconds - b.startSeconds);
  const noiseRng = mulberry32(deriveSeed(spec.seed, NOISE_SALT));
  for (const party of PARTIES) addLineNoise(channels[CHANNEL[party]], noise, levels[party], CORPUS_SAMPLE_RATE, noiseRng);

  const pcm = [toPcm(channels[0]), toPcm(channels[1])] as const;
  return { sampleRate: CORPUS_SAMPLE_RATE, durationSeconds: length / CORPUS_SAMPLE_RATE, noise, segments, wav: toWav(pcm), pcm };
}

/** Who says what when: alternating turns until the call is full. */
function planConversation(bank: UtteranceBank, durationSeconds: number, rng: Rng): Placement[] {
  const placements: Placement[] = [];
  const lastEnd: Record<Party, number> = { agent: -Infinity, caller: -Infinity };
  /** Places the phrase at `start` or, if its party spoke too recently, a little later; undefined when the call has no room left. */
  const place = (party: Party, utterance: Utterance, start: number): number | undefined => {
    const startSeconds = Math.max(start, lastEnd[party] + SAME_PARTY_MIN_GAP);
    if (startSeconds + duration(utterance) > durationSeconds - END_SILENCE) return undefined;
    placements.push({ party, utterance, startSeconds });
    lastEnd[party] = startSeconds + duration(utterance);
    return lastEnd[party];
  };

  let party: Party = 'agent';
  let start = uniform(rng, ...PICKUP);
  for (;;) {
    const other: Party = party === 'agent' ? 'caller' : 'agent';
    const phrases = rng() < SECOND_PHRASE_PROBABILITY ? 2 : 1;
    const turnStart = Math.max(start, lastEnd[party] + SAME_PARTY_MIN_GAP);
    let turnEnd = turnStart;
    for (let p = 0; p < phrases; p++) {
      const utterance = pick(bank.turns[party], rng);
      const end = place(party, utterance, p === 0 ? turnStart : turnEnd + uniform(rng, ...PAUSE_IN_TURN));
      if (end === undefined) break;
      turnEnd = end;
    }
    if (turnEnd === turnStart) break;

    const backchannel = pick(bank.backchannels[other], rng);
    const backchannelAt = turnStart + uniform(rng, 0.3, Math.max(0.3, turnEnd - turnStart - duration(backchannel) - 0.3));
    if (turnEnd - turnStart > BACKCHANNEL_MIN_TURN && rng() < BACKCHANNEL_PROBABILITY && backchannelAt >= lastEnd[other] + SAME_PARTY_MIN_GAP) {
      place(other, backchannel, backchannelAt);
    }
    const overlaps = rng() < OVERLAP_PROBABILITY;
    const overlap = uniform(rng, ...OVERLAP);
    const gap = uniform(rng, ...GAP_BETWEEN_TURNS);
    start = overlaps ? turnEnd - overlap : turnEnd + gap;
    party = other;
  }
  return placements;
}

function duration(utterance: Utterance): number {
  return utterance.samples.length / CORPUS_SAMPLE_RATE;
}

function pick<T>(items: readonly T[], rng: Rng): T {
  return items[Math.floor(rng() * items.length)]!;
}

function toPcm(channel: Float32Array): Int16Array {
  return Int16Array.from(channel, (sample) => Math.max(-32768, Math.min(32767, Math.round(sample * 32768))));
}

/** Interleaves planar 16-bit channels into a WAV file. */
export function toWav(channels: readonly Int16Array[]): Buffer {
  const frames = channels[0]!.length;
  const data = Buffer.alloc(frames * channels.length * 2);
  for (let i = 0; i < frames; i++) {
    channels.forEach((channel, ch) => {
      data.writeInt16LE(channel[i]!, (i * channels.length + ch) * 2);
    });
  }
  return Buffer.concat([wavHeader(channels.length, CORPUS_SAMPLE_RATE, data.length), data]);
}

function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
