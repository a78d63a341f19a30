import { decodeAudio } from './decode-audio';
import type { PcmFormat } from './pcm';
import { analyzeConversation, DEFAULT_ACTIVITY_OPTIONS, type ActivityOptions } from './speech-activity';
import { createSpeechDetector, DEFAULT_SPEECH_DETECTOR, type SpeechDetectorName } from './speech-detector';

export const FRAME_SECONDS = 0.02;

/**
 * Speech activity of one recording. On dual-channel audio channel 0 is the agent and channel 1
 * the customer; on any other layout who speaks is unknown, and every per-party figure is null.
 */
export interface AudioMetrics {
  format: 'wav' | 'mp3';
  channels: number;
  sampleRate: number;
  durationSeconds: number;
  /** Seconds in which anyone talks. */
  talkSeconds: number;
  agentTalkSeconds: number | null;
  customerTalkSeconds: number | null;
  /** agent / (agent + customer); null when nobody talked or the parties are unknown. */
  talkRatio: number | null;
  silenceSeconds: number;
  silenceRatio: number | null;
  overlapSeconds: number | null;
  longestMonologueSeconds: number | null;
  longestMonologueSpeaker: 'agent' | 'customer' | null;
  turns: number | null;
}

export interface AnalyzeAudioOptions {
  /** Stops the analysis between reads (worker shutdown): the job goes back for a retry. */
  signal?: AbortSignal;
  activity?: ActivityOptions;
  /** Which detector decides speech from silence; the bench measures both. */
  detector?: SpeechDetectorName;
}

/** Speech flags per channel, one per frame, with what they are measured against. */
export interface SpeechFrames {
  format: PcmFormat;
  durationSeconds: number;
  frameSeconds: number;
  speech: Uint8Array[];
}

/** Decodes the file as it streams in and decides, 20 ms at a time, where each channel has speech. */
export async function detectSpeechFrames(source: AsyncIterable<Uint8Array>, options: AnalyzeAudioOptions = {}): Promise<SpeechFrames> {
  const activity = options.activity ?? DEFAULT_ACTIVITY_OPTIONS;
  const audio = await decodeAudio(options.signal ? abortable(source, options.signal) : source);
  const { sampleRate } = audio.format;
  const frameLength = Math.round(FRAME_SECONDS * sampleRate);
  const detector = await createSpeechDetector(options.detector ?? DEFAULT_SPEECH_DETECTOR, { format: audio.format, frameLength, activity });
  let samples = 0;
  try {
    for await (const block of audio.blocks) {
      detector.push(block);
      samples += block[0]!.length;
    }
    return { format: audio.format, durationSeconds: samples / sampleRate, frameSeconds: frameLength / sampleRate, speech: detector.finish() };
  } finally {
    detector.close();
  }
}

/** Decodes the file as it streams in and measures who talks when, 20 ms at a time. */
export async function analyzeAudio(source: AsyncIterable<Uint8Array>, options: AnalyzeAudioOptions = {}): Promise<AudioMetrics> {
  const activity = options.activity ?? DEFAULT_ACTIVITY_OPTIONS;
  const { format, durationSeconds, frameSeconds, speech } = await detectSpeechFrames(source, options);
  const { container, sampleRate, channels } = format;
  const base = { format: container, channels, sampleRate, durationSeconds: round(durationSeconds, 3) };

  if (channels === 2) {
    const talk = analyzeConversation(speech[0]!, speech[1]!, activity.monologueGapFrames);
    const seconds = (frames: number) => round(frames * frameSeconds, 2);
    return {
      ...base,
      talkSeconds: seconds(talk.talkFrames),
      agentTalkSeconds: seconds(talk.agentFrames),
      customerTalkSeconds: seconds(talk.customerFrames),
      talkRatio: ratio(talk.agentFrames, talk.agentFrames + talk.customerFrames),
      silenceSeconds: seconds(talk.silenceFrames),
      silenceRatio: ratio(talk.silenceFrames, talk.frames),
      overlapSeconds: seconds(talk.overlapFrames),
      longestMonologueSeconds: seconds(talk.longestMonologueFrames),
      longestMonologueSpeaker: talk.longestMonologueParty === null ? null : talk.longestMonologueParty === 0 ? 'agent' : 'customer',
      turns: talk.turns,
    };
  }

  // Mono (or an unusual layout): speech on any channel is talk, whoever it is.
  const frames = speech[0]?.length ?? 0;
  let talkFrames = 0;
  for (let f = 0; f < frames; f++) if (speech.some((channel) => channel[f] === 1)) talkFrames++;
  return {
    ...base,
    talkSeconds: round(talkFrames * frameSeconds, 2),
    agentTalkSeconds: null,
    customerTalkSeconds: null,
    talkRatio: null,
    silenceSeconds: round((frames - talkFrames) * frameSeconds, 2),
    silenceRatio: ratio(frames - talkFrames, frames),
    overlapSeconds: null,
    longestMonologueSeconds: null,
    longestMonologueSpeaker: null,
    turns: null,
  };
}

async function* abortable(source: AsyncIterable<Uint8Array>, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    signal.throwIfAborted();
    yield chunk;
  }
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? round(part / whole, 4) : null;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
