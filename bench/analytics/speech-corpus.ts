/**
 * The speech detectors on the speech corpus: real synthesized calls with known speech per
 * channel, at each line-noise level. Per detector and level: frame accuracy, precision and recall
 * against the ground truth, talk-ratio and talk-time errors of the worker's whole audio path
 * (analyzeAudio), and audio seconds analysed per CPU second.
 */
import { createSpeechCall, LINE_NOISE_LEVELS, scoreSpeechFrames, talkSeconds, type SpeechCall } from '@callvault/simulator';
import { analyzeAudio, detectSpeechFrames, type AnalyzeAudioOptions } from '../../services/analytics/src/audio/analyze-audio';
import { DEFAULT_ACTIVITY_OPTIONS } from '../../services/analytics/src/audio/speech-activity';
import { DEFAULT_SPEECH_DETECTOR, SPEECH_DETECTORS } from '../../services/analytics/src/audio/speech-detector';

const DURATION_SECONDS = 60;
const READ_BYTES = 64 * 1024;

async function* reads(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += READ_BYTES) yield bytes.subarray(at, at + READ_BYTES);
}

interface Contender {
  label: string;
  options: AnalyzeAudioOptions;
}

// Each detector as the worker would run it, and the energy threshold as it was before the speech
// corpus (its margin half the line's dynamic range), for the record.
const CONTENDERS: Contender[] = [
  ...SPEECH_DETECTORS.map((detector) => ({ label: detector === DEFAULT_SPEECH_DETECTOR ? `${detector} (worker)` : detector, options: { detector } })),
  { label: 'energy, margin 1/2 (before)', options: { detector: 'energy', activity: { ...DEFAULT_ACTIVITY_OPTIONS, marginShare: 1 / 2 } } },
];

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

async function score(calls: SpeechCall[], { label, options }: Contender, rounds: number): Promise<string[]> {
  const verdicts = await Promise.all(calls.map(async (call) => ({ call, frames: await detectSpeechFrames(reads(call.wav), options) })));
  const frames = verdicts.map(({ call, frames }) => scoreSpeechFrames(frames.speech, call.segments, frames.frameSeconds));
  const weighted = (key: 'accuracy' | 'precision' | 'recall') =>
    frames.reduce((sum, s) => sum + s[key] * s.frames, 0) / frames.reduce((sum, s) => sum + s.frames, 0);

  const ratioErrors: number[] = [];
  const talkErrors: number[] = [];
  await analyzeAudio(reads(calls[0]!.wav), options); // warm-up: JIT, WebAssembly compile
  const before = process.cpuUsage();
  for (let round = 0; round < rounds; round++) {
    for (const call of calls) {
      const audio = await analyzeAudio(reads(call.wav), options);
      if (round > 0) continue;
      const [agent, caller] = [talkSeconds(call.segments, 0), talkSeconds(call.segments, 1)];
      ratioErrors.push(Math.abs(audio.talkRatio! - agent / (agent + caller)));
      talkErrors.push(Math.abs(audio.agentTalkSeconds! - agent) / agent, Math.abs(audio.customerTalkSeconds! - caller) / caller);
    }
  }
  const used = process.cpuUsage(before);
  const cpu = (used.user + used.system) / 1e6;
  return [
    label,
    percent(weighted('accuracy')),
    percent(weighted('precision')),
    percent(weighted('recall')),
    `${(mean(ratioErrors) * 100).toFixed(2)} / ${(Math.max(...ratioErrors) * 100).toFixed(2)}`,
    `${percent(mean(talkErrors))} / ${percent(Math.max(...talkErrors))}`,
    ((DURATION_SECONDS * calls.length * rounds) / cpu).toFixed(0),
  ];
}

/** Prints the comparison table; `calls` calls per noise level, analysed `rounds` times for the speed. */
export async function benchSpeechCorpus(calls: number, rounds: number): Promise<void> {
  console.log(`\nspeech corpus: ${calls} x ${DURATION_SECONDS} s dual-channel 8 kHz calls per noise level (eSpeak NG voices, seeds 1-${calls})`);
  const rows: string[][] = [];
  for (const noise of LINE_NOISE_LEVELS) {
    const corpus: SpeechCall[] = [];
    for (let seed = 1; seed <= calls; seed++) corpus.push(await createSpeechCall({ durationSeconds: DURATION_SECONDS, seed, noise }));
    for (const contender of CONTENDERS) rows.push([noise.name, ...(await score(corpus, contender, rounds))]);
  }
  const header = [
    'line',
    'detector',
    'frame accuracy',
    'precision',
    'recall',
    'talk-ratio error pp (mean / worst)',
    'talk-time error (mean / worst)',
    'audio s per CPU s',
  ];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(`\n${line(header)}`);
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log('\nframe: 20 ms, speech when its centre lies in a placed phrase; talk ratio = agent / (agent + caller) talk time');
}
