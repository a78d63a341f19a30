import type { Readable } from 'node:stream';
import { describe, it, expect } from 'vitest';
import { createMp3Stream } from './mp3-stream';
import { planSpeech } from './speech-plan';
import { createWavStream } from './wav-stream';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface FrameHeader {
  version: '1' | '2' | '2.5';
  bitrateKbps: number;
  sampleRate: number;
  mono: boolean;
  lengthBytes: number;
}

// Layer III tables from ISO 11172-3 / 13818-3.
const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES = { '1': [44100, 48000, 32000], '2': [22050, 24000, 16000], '2.5': [11025, 12000, 8000] };

/** Parses an MPEG audio Layer III frame header at `offset`, or returns undefined if there is none. */
function parseFrameHeader(buf: Buffer, offset: number): FrameHeader | undefined {
  if (offset + 4 > buf.length) return undefined;
  const [b0, b1, b2, b3] = [buf[offset]!, buf[offset + 1]!, buf[offset + 2]!, buf[offset + 3]!];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined; // 11-bit frame sync
  const version = ({ 0: '2.5', 2: '2', 3: '1' } as const)[(b1 >> 3) & (3 as 0 | 2 | 3)];
  if (!version || ((b1 >> 1) & 3) !== 1) return undefined; // Layer III only
  const bitrateKbps = (version === '1' ? BITRATES_V1 : BITRATES_V2)[b2 >> 4];
  const sampleRate = SAMPLE_RATES[version][(b2 >> 2) & 3];
  if (!bitrateKbps || !sampleRate) return undefined;
  const padding = (b2 >> 1) & 1;
  const lengthBytes = Math.floor(((version === '1' ? 144 : 72) * bitrateKbps * 1000) / sampleRate) + padding;
  return { version, bitrateKbps, sampleRate, mono: b3 >> 6 === 3, lengthBytes };
}

/** Walks the whole file frame by frame (after an optional ID3v2 tag); fails on any gap. */
function walkFrames(mp3: Buffer): FrameHeader[] {
  let offset = 0;
  if (mp3.toString('latin1', 0, 3) === 'ID3') {
    // Synchsafe 28-bit tag size after the 10-byte header.
    offset = 10 + ((mp3[6]! << 21) | (mp3[7]! << 14) | (mp3[8]! << 7) | mp3[9]!);
  }
  const frames: FrameHeader[] = [];
  while (offset < mp3.length) {
    const header = parseFrameHeader(mp3, offset);
    if (!header) throw new Error(`no MPEG frame at byte ${offset} of ${mp3.length}`);
    frames.push(header);
    offset += header.lengthBytes;
  }
  expect(offset).toBe(mp3.length);
  return frames;
}

describe('createMp3Stream', () => {
  it('encodes 8 kHz mono as a chain of valid 32 kbps MPEG-2.5 Layer III frames', async () => {
    const durationSeconds = 2.5;
    const { stream, bitrateKbps, sampleRate } = createMp3Stream({ durationSeconds, channels: 1, seed: 2 });
    expect([bitrateKbps, sampleRate]).toEqual([32, 8000]);
    const mp3 = await collect(stream);
    const first = mp3.toString('latin1', 0, 3) === 'ID3' || (mp3[0] === 0xff && (mp3[1]! & 0xe0) === 0xe0);
    expect(first).toBe(true);
    const frames = walkFrames(mp3);
    expect(new Set(frames.map((f) => `${f.version}/${f.bitrateKbps}/${f.sampleRate}/${f.mono}`))).toEqual(new Set(['2.5/32/8000/true']));
    // MPEG-2/2.5 Layer III frames hold 576 samples. The decoded audio must cover the
    // whole call; beyond it only delay compensation and flush padding (< 0.4 s).
    const audioSeconds = (frames.length * 576) / 8000;
    expect(audioSeconds).toBeGreaterThanOrEqual(durationSeconds);
    expect(audioSeconds).toBeLessThan(durationSeconds + 0.4);
    // CBR: size is the bitrate times that audio length.
    expect(mp3.length).toBeGreaterThan(4000 * durationSeconds);
    expect(mp3.length).toBeLessThan(4000 * (durationSeconds + 0.4));
  });

  it('encodes stereo at 64 kbps and 16 kHz as MPEG-2', async () => {
    const durationSeconds = 1;
    const mp3 = await collect(createMp3Stream({ durationSeconds, channels: 2, seed: 9, sampleRate: 16000 }).stream);
    const frames = walkFrames(mp3);
    expect(new Set(frames.map((f) => `${f.version}/${f.bitrateKbps}/${f.sampleRate}/${f.mono}`))).toEqual(new Set(['2/64/16000/false']));
    expect(mp3.length).toBeGreaterThan(8000 * durationSeconds);
    expect(mp3.length).toBeLessThan(8000 * (durationSeconds + 0.4));
  });

  it('shares the plan with the WAV generator and is deterministic', async () => {
    const spec = { durationSeconds: 0.5, channels: 2 as const, seed: 77 };
    const a = createMp3Stream(spec);
    expect(a.segments).toEqual(planSpeech(spec));
    expect(a.segments).toEqual(createWavStream(spec).segments);
    const [x, y] = [await collect(a.stream), await collect(createMp3Stream(spec).stream)];
    expect(x.equals(y)).toBe(true);
  });

  it('starts emitting a long call without encoding all of it first', async () => {
    // An hour of stereo takes lamejs ~45 s to encode: only a lazy stream gets here quickly.
    const { stream } = createMp3Stream({ durationSeconds: 3600, channels: 2, seed: 1 });
    let read = 0;
    for await (const chunk of stream) {
      read += (chunk as Buffer).length;
      if (read > 32 * 1024) break;
    }
    expect(read).toBeGreaterThan(32 * 1024);
    expect(read).toBeLessThan(64 * 1024);
  });

  it('rejects sample rates MP3 cannot carry', () => {
    expect(() => createMp3Stream({ durationSeconds: 1, channels: 1, seed: 1, sampleRate: 9000 })).toThrow(RangeError);
  });
});
