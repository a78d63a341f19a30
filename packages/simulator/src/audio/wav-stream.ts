/**
 * Streams a synthetic call as a 16-bit PCM WAV file.
 *
 * The simulator uses this to stand in for Twilio/VAPI recording downloads, up to
 * ~500 MB per file, so the body is generated lazily: each read() renders one
 * chunk of at most CHUNK_BYTES, and nothing else is held in memory besides the
 * one-second voice tables. The exact size is known up front so it can be sent as
 * Content-Length.
 */
import { endianness } from 'node:os';
import { Readable } from 'node:stream';
import { planSpeech, type SpeechSegment } from './speech-plan';
import { createSpeechSynth, frameCount, resolveSampleRate, type AudioSpec } from './speech-synth';

export const WAV_HEADER_BYTES = 44;
/** Upper bound for every chunk the stream emits (the first one includes the header). */
export const WAV_CHUNK_BYTES = 64 * 1024;
const BYTES_PER_SAMPLE = 2;
// WAV stores samples little-endian; Int16Array uses the host's byte order.
const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';

export interface WavStream {
  stream: Readable;
  /** Exact length of the stream in bytes: 44 + frames * channels * 2. */
  sizeBytes: number;
  /** Ground truth: when each channel speaks. */
  segments: SpeechSegment[];
}

/** Exact byte size of the WAV that createWavStream would produce for this spec. */
export function wavByteSize(spec: AudioSpec): number {
  const sampleRate = resolveSampleRate(spec);
  const dataBytes = frameCount(spec.durationSeconds, sampleRate) * spec.channels * BYTES_PER_SAMPLE;
  // The RIFF size field (file size - 8) is 32 bits: past 4 GiB the header would lie.
  if (dataBytes + WAV_HEADER_BYTES - 8 > 0xffffffff) {
    throw new RangeError(`WAV would be ${dataBytes + WAV_HEADER_BYTES} bytes, over the 4 GiB RIFF limit`);
  }
  return WAV_HEADER_BYTES + dataBytes;
}

export function createWavStream(spec: AudioSpec): WavStream {
  const segments = planSpeech(spec);
  const sizeBytes = wavByteSize(spec);
  const synth = createSpeechSynth(spec, segments);
  const { channels, totalFrames } = synth;
  const frameBytes = channels * BYTES_PER_SAMPLE;
  const header = wavHeader(channels, synth.sampleRate, sizeBytes - WAV_HEADER_BYTES);
  let nextFrame = 0;
  let headerSent = false;

  const stream = new Readable({
    // One chunk of read-ahead: memory stays bounded however slowly the consumer reads.
    highWaterMark: WAV_CHUNK_BYTES,
    read() {
      try {
        const prefix = headerSent ? 0 : WAV_HEADER_BYTES;
        const frames = Math.min(Math.floor((WAV_CHUNK_BYTES - prefix) / frameBytes), totalFrames - nextFrame);
        if (frames <= 0 && headerSent) {
          this.push(null);
          return;
        }
        // allocUnsafeSlow: never a slice of Node's shared pool, so the byte offset
        // is 0 and an Int16Array view is aligned. Every byte is overwritten below.
        const chunk = Buffer.allocUnsafeSlow(prefix + frames * frameBytes);
        if (!headerSent) header.copy(chunk, 0);
        const samples = new Int16Array(chunk.buffer, chunk.byteOffset + prefix, frames * channels);
        for (let ch = 0; ch < channels; ch++) {
          synth.render(ch as 0 | 1, nextFrame, nextFrame + frames, samples, ch, channels);
        }
        if (!HOST_IS_LITTLE_ENDIAN) chunk.subarray(prefix).swap16();
        headerSent = true;
        nextFrame += frames;
        this.push(chunk);
      } catch (err) {
        this.destroy(err as Error);
      }
    },
  });
  return { stream, sizeBytes, segments };
}

// Canonical 44-byte header: RIFF/WAVE, a 16-byte PCM "fmt " chunk, then "data".
export function wavHeader(channels: number, sampleRate: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(WAV_HEADER_BYTES - 8 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // audio format 1 = integer PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * BYTES_PER_SAMPLE, 28); // byte rate
  h.writeUInt16LE(channels * BYTES_PER_SAMPLE, 32); // block align
  h.writeUInt16LE(8 * BYTES_PER_SAMPLE, 34); // bits per sample
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}
