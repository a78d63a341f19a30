/**
 * Streams a synthetic call as a CBR MP3, for providers (VAPI, some Twilio
 * configurations) that deliver MP3 rather than WAV.
 *
 * Same PCM as the WAV stream (same spec, same plan, same samples; shifted so the
 * decoded audio lines up with the WAV, see MP3_DECODED_DELAY_FRAMES), encoded
 * block by block as the consumer reads, so memory stays bounded. The encoder is
 * @breezystack/lamejs, a maintained pure-JS LAME port: no native build step and
 * byte-identical output on every machine. It is slow (~2.5 MB/s of PCM input,
 * ~80-140x real time at 8 kHz), fine for test fixtures but not for
 * multi-hundred-MB files: use WAV there.
 *
 * 8000 Hz is kept as the default: LAME encodes it natively as MPEG-2.5 Layer III
 * (no resampling), which libmad, mpg123 and ffmpeg decode (checked with sox/libmad),
 * so there is no reason to upsample telephony audio to 16 kHz.
 */
import { Readable } from 'node:stream';
import { Mp3Encoder } from '@breezystack/lamejs';
import { planSpeech, type SpeechSegment } from './speech-plan';
import { createSpeechSynth, resolveSampleRate, type AudioSpec } from './speech-synth';

/** Sample rates MPEG-1/2/2.5 Layer III can carry; LAME would otherwise resample or fail. */
export const MP3_SAMPLE_RATES: readonly number[] = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];
// Per channel 32 kbps: ample for 8 kHz speech, valid in every MPEG version's bitrate table.
const KBPS_PER_CHANNEL = 32;
// LAME's encoder delay (576) plus the standard Layer III decoder delay (529):
// decoded audio lags the encoder input by exactly this many frames (measured with
// sox/libmad at 8 kHz: 1105). lamejs writes no LAME/Xing tag, so no decoder can
// trim it. Feeding the encoder the PCM from this frame on makes the *decoded* MP3
// line up with the plan (and the WAV) sample for sample. What is skipped is always
// silence: every plan opens with at least 0.2 s of it (1600 frames at 8 kHz).
export const MP3_DECODED_DELAY_FRAMES = 576 + 529;
// 8 MP3 frames' worth of samples per encode call: amortises lamejs call overhead
// while keeping each read small (~1 s of audio at 8 kHz).
const FRAMES_PER_BLOCK = 1152 * 8;

export interface Mp3Stream {
  stream: Readable;
  /** Ground truth: when each channel speaks, aligned with the decoded audio. */
  segments: SpeechSegment[];
  bitrateKbps: number;
  sampleRate: number;
}

/** 32 kbps mono, 64 kbps stereo. */
export function mp3BitrateKbps(channels: 1 | 2): number {
  return KBPS_PER_CHANNEL * channels;
}

/**
 * The decoded MP3 is aligned with `segments` (see MP3_DECODED_DELAY_FRAMES) and
 * runs a little past the call's duration (delay compensation plus the last
 * frame's padding, ~0.15-0.3 s of noise floor). The byte length is not known in
 * advance; being CBR it is about bitrate * duration.
 */
export function createMp3Stream(spec: AudioSpec): Mp3Stream {
  const sampleRate = resolveSampleRate(spec);
  if (!MP3_SAMPLE_RATES.includes(sampleRate)) {
    throw new RangeError(`MP3 cannot carry ${sampleRate} Hz; use one of ${MP3_SAMPLE_RATES.join(', ')}`);
  }
  const segments = planSpeech(spec);
  const synth = createSpeechSynth(spec, segments);
  const { channels, totalFrames } = synth;
  const bitrateKbps = mp3BitrateKbps(channels);
  const encoder = new Mp3Encoder(channels, sampleRate, bitrateKbps);
  // Reused between blocks: lamejs copies its input, so only encoded bytes are retained.
  const left = new Int16Array(FRAMES_PER_BLOCK);
  const right = channels === 2 ? new Int16Array(FRAMES_PER_BLOCK) : undefined;
  let nextFrame = MP3_DECODED_DELAY_FRAMES;
  // Past totalFrames the synth renders the noise floor, which pads the tail so the
  // decoded file still holds the whole call after the shift.
  const endFrame = totalFrames + MP3_DECODED_DELAY_FRAMES;
  let flushed = false;

  const stream = new Readable({
    read() {
      try {
        // lamejs buffers internally and may return nothing for a block: keep going
        // until there are bytes to push, so every read() makes progress.
        while (nextFrame < endFrame) {
          const frames = Math.min(FRAMES_PER_BLOCK, endFrame - nextFrame);
          synth.render(0, nextFrame, nextFrame + frames, left, 0, 1);
          if (right) synth.render(1, nextFrame, nextFrame + frames, right, 0, 1);
          nextFrame += frames;
          // The last block is shorter: pass exact-length views, not stale tail samples.
          const encoded = encoder.encodeBuffer(left.subarray(0, frames), right?.subarray(0, frames));
          if (encoded.length > 0) {
            this.push(toBuffer(encoded));
            return;
          }
        }
        if (!flushed) {
          flushed = true;
          const tail = encoder.flush();
          if (tail.length > 0) this.push(toBuffer(tail));
        }
        this.push(null);
      } catch (err) {
        this.destroy(err as Error);
      }
    },
  });
  return { stream, segments, bitrateKbps, sampleRate };
}

// lamejs actually returns a fresh Int8Array (typed as Uint8Array): wrap its memory, no copy.
function toBuffer(bytes: ArrayBufferView): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
