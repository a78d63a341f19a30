import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { describe, it, expect } from 'vitest';
import { talkSeconds } from './speech-plan';
import { createWavStream, wavByteSize, WAV_CHUNK_BYTES, WAV_HEADER_BYTES } from './wav-stream';

async function collect(stream: Readable): Promise<{ bytes: Buffer; chunkSizes: number[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { bytes: Buffer.concat(chunks), chunkSizes: chunks.map((c) => c.length) };
}

/** Per-channel RMS (dBFS re 32768) of consecutive frames of `frameSeconds`. */
function frameRmsDb(wav: Buffer, channels: number, sampleRate: number, frameSeconds: number): number[][] {
  const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + WAV_HEADER_BYTES, wav.byteOffset + wav.length));
  const frameLen = Math.round(frameSeconds * sampleRate);
  const frames = Math.floor(samples.length / channels / frameLen);
  const out: number[][] = Array.from({ length: channels }, () => []);
  for (let ch = 0; ch < channels; ch++) {
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let n = f * frameLen; n < (f + 1) * frameLen; n++) {
        const v = samples[n * channels + ch]!;
        sum += v * v;
      }
      out[ch]!.push(20 * Math.log10(Math.sqrt(sum / frameLen) / 32768 + 1e-12));
    }
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('createWavStream', () => {
  it('writes a canonical 16-bit PCM header with exact sizes', async () => {
    for (const [channels, sampleRate] of [
      [2, 8000],
      [1, 16000],
    ] as const) {
      const spec = { durationSeconds: 2.5, channels, seed: 3, sampleRate };
      const { stream, sizeBytes } = createWavStream(spec);
      const { bytes } = await collect(stream);
      const dataBytes = 2.5 * sampleRate * channels * 2;
      expect(sizeBytes).toBe(WAV_HEADER_BYTES + dataBytes);
      expect(bytes.length).toBe(sizeBytes);
      expect(wavByteSize(spec)).toBe(sizeBytes);
      expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
      expect(bytes.readUInt32LE(4)).toBe(sizeBytes - 8);
      expect(bytes.toString('ascii', 8, 16)).toBe('WAVEfmt ');
      expect(bytes.readUInt32LE(16)).toBe(16);
      expect(bytes.readUInt16LE(20)).toBe(1);
      expect(bytes.readUInt16LE(22)).toBe(channels);
      expect(bytes.readUInt32LE(24)).toBe(sampleRate);
      expect(bytes.readUInt32LE(28)).toBe(sampleRate * channels * 2);
      expect(bytes.readUInt16LE(32)).toBe(channels * 2);
      expect(bytes.readUInt16LE(34)).toBe(16);
      expect(bytes.toString('ascii', 36, 40)).toBe('data');
      expect(bytes.readUInt32LE(40)).toBe(dataBytes);
    }
  });

  it('reports exact sizes, including durations that are not whole frames and empty calls', async () => {
    expect(wavByteSize({ durationSeconds: 1.00006, channels: 2, seed: 1 })).toBe(44 + 8000 * 4);
    expect(wavByteSize({ durationSeconds: 15625, channels: 2, seed: 1 })).toBe(44 + 500_000_000);
    expect(() => wavByteSize({ durationSeconds: 1e6, channels: 2, seed: 1, sampleRate: 48000 })).toThrow(RangeError);
    const empty = createWavStream({ durationSeconds: 0, channels: 1, seed: 1 });
    expect((await collect(empty.stream)).bytes.length).toBe(44);
    expect(empty.sizeBytes).toBe(44);
    const odd = createWavStream({ durationSeconds: 0.12345, channels: 2, seed: 1, sampleRate: 11025 });
    expect((await collect(odd.stream)).bytes.length).toBe(odd.sizeBytes);
  });

  it('is byte-for-byte deterministic for a seed', async () => {
    const hash = async (seed: number) =>
      createHash('sha256')
        .update((await collect(createWavStream({ durationSeconds: 5, channels: 2, seed }).stream)).bytes)
        .digest('hex');
    expect(await hash(11)).toBe(await hash(11));
    expect(await hash(11)).not.toBe(await hash(12));
  });

  it('lets 20 ms frame RMS recover the planned talk seconds per channel within 5%', async () => {
    const threshold = -40; // dBFS: between the speech trough (~-27) and the noise floor (~-70)
    for (const [channels, seed] of [
      [2, 1],
      [2, 2],
      [2, 99],
      [1, 4],
    ] as const) {
      const { stream, segments } = createWavStream({ durationSeconds: 60, channels, seed });
      const { bytes } = await collect(stream);
      const rms = frameRmsDb(bytes, channels, 8000, 0.02);
      for (let ch = 0; ch < channels; ch++) {
        const frames = rms[ch]!;
        const own = segments.filter((s) => s.channel === ch);
        const planned = talkSeconds(segments, ch as 0 | 1);
        expect(planned).toBeGreaterThan(10);
        const measured = frames.filter((db) => db > threshold).length * 0.02;
        expect(Math.abs(measured - planned) / planned).toBeLessThan(0.05);

        // Level checks on frames wholly inside or wholly outside a planned turn
        // (frames straddling a turn edge are legitimately in between).
        const inside: number[] = [];
        const outside: number[] = [];
        frames.forEach((db, f) => {
          const [a, b] = [f * 0.02, (f + 1) * 0.02];
          if (own.some((s) => s.startSeconds <= a && b <= s.endSeconds)) inside.push(db);
          else if (!own.some((s) => s.startSeconds < b && a < s.endSeconds)) outside.push(db);
        });
        expect(median(inside)).toBeGreaterThan(-24);
        expect(median(inside)).toBeLessThan(-16);
        expect(Math.min(...inside)).toBeGreaterThan(-35);
        expect(Math.max(...outside)).toBeLessThan(-60);
      }
    }
  });

  it('streams a 60 s stereo call in many bounded chunks', async () => {
    const { stream, sizeBytes } = createWavStream({ durationSeconds: 60, channels: 2, seed: 5 });
    const { chunkSizes } = await collect(stream);
    expect(chunkSizes.reduce((a, b) => a + b, 0)).toBe(sizeBytes);
    expect(chunkSizes.length).toBeGreaterThanOrEqual(Math.floor(sizeBytes / WAV_CHUNK_BYTES));
    expect(Math.max(...chunkSizes)).toBeLessThanOrEqual(WAV_CHUNK_BYTES);
  });

  it('generates a 500 MB file lazily: reading the start buffers only a chunk or two', async () => {
    const { stream, sizeBytes } = createWavStream({ durationSeconds: 15625, channels: 2, seed: 5 });
    expect(sizeBytes).toBe(500_000_044);
    await once(stream, 'readable');
    // An eager generator would have buffered far more than its high-water mark by now.
    expect(stream.readableLength).toBeLessThanOrEqual(2 * WAV_CHUNK_BYTES);
    let read = 0;
    for await (const chunk of stream) {
      // The async iterator hands over everything buffered at once, so a big chunk means eager generation.
      expect((chunk as Buffer).length).toBeLessThanOrEqual(2 * WAV_CHUNK_BYTES);
      expect(stream.readableLength).toBeLessThanOrEqual(2 * WAV_CHUNK_BYTES);
      read += (chunk as Buffer).length;
      if (read >= 10 * WAV_CHUNK_BYTES) break; // break destroys the stream
    }
    expect(read).toBeGreaterThanOrEqual(10 * WAV_CHUNK_BYTES);
    expect(stream.destroyed).toBe(true);
  });
});
