/**
 * How fast the analytics worker gets through audio: seconds of recording analysed per second
 * of CPU, for one-minute dual-channel WAV and MP3 calls from the simulator.
 *
 * Three passes over the same in-memory files, so each figure has context:
 * - byte sum: touches every byte and nothing else (what reading the file costs at best);
 * - decode:   container parsing and decoding to PCM, samples thrown away;
 * - analyse:  the worker's whole audio path (decode, 20 ms frame energies, speech activity,
 *             conversation metrics), exactly as processAnalytics runs it.
 * Storage and database round trips are left out: they are I/O, not CPU.
 *
 * Then the speech corpus (speech-corpus.ts): both speech detectors against the ground truth of
 * real synthesized calls at each line-noise level, with their speed.
 *
 *   npx tsx bench/analytics/run.ts [recordings per format, default 10] [rounds, default 3] [speech calls per noise level, default 6]
 */
import type { Readable } from 'node:stream';
import { createMp3Stream, createWavStream, talkSeconds, type SpeechSegment } from '@callvault/simulator';
import { analyzeAudio } from '../../services/analytics/src/audio/analyze-audio';
import { decodeAudio } from '../../services/analytics/src/audio/decode-audio';
import { benchSpeechCorpus } from './speech-corpus';

const DURATION_SECONDS = 60;
const READ_BYTES = 64 * 1024; // what an S3 body typically hands over per read
const recordingsPerFormat = Number(process.argv[2] ?? 10);
const rounds = Number(process.argv[3] ?? 3);
const speechCalls = Number(process.argv[4] ?? 6);

interface Recording {
  bytes: Buffer;
  segments: SpeechSegment[];
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function* reads(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += READ_BYTES) yield bytes.subarray(at, at + READ_BYTES);
}

async function byteSum(bytes: Buffer): Promise<number> {
  let sum = 0;
  for await (const chunk of reads(bytes)) for (let i = 0; i < chunk.length; i++) sum = (sum + chunk[i]!) | 0;
  return sum;
}

async function decodeOnly(bytes: Buffer): Promise<number> {
  const audio = await decodeAudio(reads(bytes));
  let samples = 0;
  for await (const block of audio.blocks) samples += block[0]!.length;
  return samples;
}

async function analyse(bytes: Buffer): Promise<number> {
  return (await analyzeAudio(reads(bytes))).durationSeconds;
}

/** CPU seconds (user + system) spent running `pass` over every recording, `rounds` times. */
async function cpuSeconds(recordings: Recording[], pass: (bytes: Buffer) => Promise<unknown>): Promise<number> {
  for (const recording of recordings.slice(0, 1)) await pass(recording.bytes); // warm-up: JIT, WASM compile
  const before = process.cpuUsage();
  for (let round = 0; round < rounds; round++) for (const recording of recordings) await pass(recording.bytes);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

async function main(): Promise<void> {
  console.log(`generating ${recordingsPerFormat} x ${DURATION_SECONDS} s dual-channel 8 kHz calls per format (not timed)...`);
  const formats = {
    wav: await Promise.all(
      Array.from({ length: recordingsPerFormat }, async (_, seed) => {
        const { stream, segments } = createWavStream({ durationSeconds: DURATION_SECONDS, channels: 2, seed });
        return { bytes: await collect(stream), segments };
      }),
    ),
    mp3: await Promise.all(
      Array.from({ length: recordingsPerFormat }, async (_, seed) => {
        const { stream, segments } = createMp3Stream({ durationSeconds: DURATION_SECONDS, channels: 2, seed });
        return { bytes: await collect(stream), segments };
      }),
    ),
  };

  const rows: string[][] = [];
  const accuracy: string[] = [];
  for (const [format, recordings] of Object.entries(formats)) {
    const audioSeconds = DURATION_SECONDS * recordings.length * rounds;
    const megabytes = recordings.reduce((sum, r) => sum + r.bytes.length, 0) / recordings.length / 1e6;
    for (const [pass, run] of [
      ['byte sum', byteSum],
      ['decode', decodeOnly],
      ['analyse', analyse],
    ] as const) {
      const cpu = await cpuSeconds(recordings, run);
      rows.push([
        format,
        `${megabytes.toFixed(2)} MB`,
        pass,
        String(recordings.length * rounds),
        audioSeconds.toFixed(0),
        cpu.toFixed(3),
        (audioSeconds / cpu).toFixed(0),
      ]);
    }
    // Context for the speed: how close the analysed figures are to the simulator's plan.
    let worst = 0;
    for (const recording of recordings) {
      const audio = await analyzeAudio(reads(recording.bytes));
      for (const [measured, channel] of [
        [audio.agentTalkSeconds!, 0],
        [audio.customerTalkSeconds!, 1],
      ] as const) {
        const truth = talkSeconds(recording.segments, channel);
        worst = Math.max(worst, Math.abs(measured - truth) / truth);
      }
    }
    accuracy.push(`${format}: worst talk-seconds error vs ground truth over ${recordings.length} calls and both parties: ${(worst * 100).toFixed(2)} %`);
  }

  const header = ['format', 'file/call', 'pass', 'calls', 'audio s', 'CPU s', 'audio s per CPU s'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(`\nnode ${process.version}, ${rounds} round(s) over the same files\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log('');
  for (const text of accuracy) console.log(text);
  await benchSpeechCorpus(speechCalls, rounds);
}

await main();
