/**
 * The phrases the speech corpus is made of, spoken once per process by two eSpeak NG voices and
 * kept as 8 kHz clips with the stretches of each clip that are speech: the ground truth of every
 * call built from them follows from where the clips are placed.
 */
import { ESPEAK_SAMPLE_RATE, synthesize, type EspeakVoice } from './espeak';
import { resample } from './resample';

export const CORPUS_SAMPLE_RATE = 8000;

export type Party = 'agent' | 'caller';

export interface Utterance {
  text: string;
  /** Mono samples at CORPUS_SAMPLE_RATE, scaled so the speech in them has an RMS of 1. */
  samples: Float32Array;
  /** Where the clip is speech, in seconds from its first sample (its own silences trimmed off). */
  spans: Array<readonly [number, number]>;
}

export interface UtteranceBank {
  turns: Record<Party, Utterance[]>;
  /** Short replies said over the other party ("yes", "okay"). */
  backchannels: Record<Party, Utterance[]>;
}

// Two voices a listener tells apart: a US agent, a higher-pitched British caller at another pace.
// No voice variants (+f3 and the like): their breath noise is seeded differently in every process.
const VOICES: Record<Party, EspeakVoice> = {
  agent: { name: 'gmw/en-US', rate: 170, pitch: 45 },
  caller: { name: 'gmw/en-GB-x-rp', rate: 155, pitch: 80 },
};

const TURNS: Record<Party, string[]> = {
  agent: [
    'Good morning, thank you for calling Acme Dental, this is Sam speaking',
    'How can I help you today',
    'Can I have your date of birth, please',
    'I can see your appointment on Tuesday at nine fifteen',
    'We have an opening on Thursday at ten thirty, would that suit you',
    'Let me check the schedule for you, one moment',
    'The cleaning usually takes about forty minutes',
    'You will get a text message the day before to confirm',
    'Is there anything else I can help you with',
    'Please bring your insurance card with you',
    'I have moved it for you, you are all set',
    'Thanks for calling, have a great day',
  ],
  caller: [
    'Hi, I would like to change my appointment',
    'It is the fourteenth of March, nineteen eighty two',
    'Yes, that is the one, but I have to work that morning',
    'Thursday would be much better for me',
    'Do I need to bring anything with me',
    'How long will it take, roughly',
    'That is perfect, thank you so much',
    'Could you also send me the address again',
    'I think that is everything for now',
    'Sorry, could you repeat that please',
    'My daughter might come along as well, is that alright',
    'Brilliant, see you on Thursday then',
  ],
};

const BACKCHANNELS: Record<Party, string[]> = {
  agent: ['Okay', 'Right', 'Sure'],
  caller: ['Yes', 'Okay', 'Mm hm'],
};

// A clip's stretches of speech: 10 ms windows within this much of the clip's loudest, with pauses
// shorter than a talk-spurt gap bridged (commas and stop consonants are not silences in a turn).
const WINDOW_SECONDS = 0.01;
const ACTIVE_BELOW_PEAK_DB = 40;
const BRIDGE_SECONDS = 0.2;

let bank: Promise<UtteranceBank> | undefined;

/**
 * The bank, synthesized on first use (~3 s) and shared by every call built afterwards. eSpeak
 * carries state from one phrase to the next, so the bank is always spoken in this one order by a
 * fresh engine: that is what makes it the same in every process.
 */
export function loadUtteranceBank(): Promise<UtteranceBank> {
  bank ??= (async () => {
    const build = async (texts: Record<Party, string[]>) => ({
      agent: await speak('agent', texts.agent),
      caller: await speak('caller', texts.caller),
    });
    return { turns: await build(TURNS), backchannels: await build(BACKCHANNELS) };
  })();
  return bank;
}

async function speak(party: Party, texts: string[]): Promise<Utterance[]> {
  const clips = await synthesize(VOICES[party], texts);
  return clips.map((clip, i) => toUtterance(texts[i]!, clip));
}

function toUtterance(text: string, clip: Int16Array): Utterance {
  const wide = Float32Array.from(clip, (sample) => sample / 32768);
  const narrow = resample(wide, ESPEAK_SAMPLE_RATE, CORPUS_SAMPLE_RATE);
  const spans = speechSpans(narrow, CORPUS_SAMPLE_RATE);
  if (spans.length === 0) throw new Error(`eSpeak NG produced no audible speech for "${text}"`);
  // Trim the synthesizer's own lead-in and tail so the clip starts and ends with speech.
  const first = Math.floor(spans[0]![0] * CORPUS_SAMPLE_RATE);
  const last = Math.ceil(spans.at(-1)![1] * CORPUS_SAMPLE_RATE);
  const samples = narrow.slice(first, last);
  const offset = first / CORPUS_SAMPLE_RATE;
  const trimmed = spans.map(([start, end]) => [start - offset, end - offset] as const);
  const gain = 1 / speechRms(samples, trimmed, CORPUS_SAMPLE_RATE);
  for (let i = 0; i < samples.length; i++) samples[i]! *= gain;
  return { text, samples, spans: trimmed };
}

function speechSpans(samples: Float32Array, sampleRate: number): Array<readonly [number, number]> {
  const window = Math.round(WINDOW_SECONDS * sampleRate);
  const levels: number[] = [];
  for (let at = 0; at + window <= samples.length; at += window) {
    let sum = 0;
    for (let i = at; i < at + window; i++) sum += samples[i]! * samples[i]!;
    levels.push(10 * Math.log10(sum / window + 1e-20));
  }
  const threshold = Math.max(...levels) - ACTIVE_BELOW_PEAK_DB;
  const spans: Array<[number, number]> = [];
  levels.forEach((level, w) => {
    if (level <= threshold) return;
    const [start, end] = [w * WINDOW_SECONDS, (w + 1) * WINDOW_SECONDS];
    const previous = spans.at(-1);
    if (previous && start - previous[1] < BRIDGE_SECONDS) previous[1] = end;
    else spans.push([start, end]);
  });
  return spans;
}

function speechRms(samples: Float32Array, spans: ReadonlyArray<readonly [number, number]>, sampleRate: number): number {
  let sum = 0;
  let count = 0;
  for (const [start, end] of spans) {
    for (let i = Math.round(start * sampleRate); i < Math.min(samples.length, Math.round(end * sampleRate)); i++) {
      sum += samples[i]! * samples[i]!;
      count++;
    }
  }
  return Math.sqrt(sum / count);
}
