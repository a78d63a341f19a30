import { MPEGDecoder } from 'mpg123-decoder';
import { ByteReader } from './byte-reader';
import type { DecodedAudio, PcmBlock, PcmFormat } from './pcm';
import { UndecodableAudioError } from './undecodable-audio-error';

// Layer III tables (ISO 11172-3 / 13818-3): kbps by bitrate index, Hz by sample-rate index.
const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES = { '1': [44100, 48000, 32000], '2': [22050, 24000, 16000], '2.5': [11025, 12000, 8000] } as const;
// How far past an ID3 tag we look for the first frame (some writers pad the tag generously).
const SYNC_SCAN_BYTES = 64 * 1024;
// mpg123 resyncs over damage and leaves gaps, which would shift every later timestamp: beyond
// an occasional glitch the timeline is not trustworthy, so the file counts as corrupt.
const MAX_ERRORS_PER_FRAME = 0.01;

export interface Mp3FrameHeader {
  version: '1' | '2' | '2.5';
  sampleRate: number;
  channels: 1 | 2;
  lengthBytes: number;
  samplesPerFrame: 1152 | 576;
}

/** Parses an MPEG-1/2/2.5 Layer III frame header at `offset`, or undefined if there is none. */
export function parseMp3FrameHeader(bytes: Uint8Array, offset = 0): Mp3FrameHeader | undefined {
  if (offset + 4 > bytes.length) return undefined;
  const [b1, b2, b3] = [bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!];
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = ({ 0: '2.5', 2: '2', 3: '1' } as const)[((b1 >> 3) & 3) as 0 | 2 | 3];
  if (!version || ((b1 >> 1) & 3) !== 1) return undefined;
  const kbps = (version === '1' ? BITRATES_V1 : BITRATES_V2)[b2 >> 4];
  const sampleRate = SAMPLE_RATES[version][(b2 >> 2) & 3];
  if (!kbps || !sampleRate) return undefined;
  const padding = (b2 >> 1) & 1;
  const lengthBytes = Math.floor(((version === '1' ? 144 : 72) * kbps * 1000) / sampleRate) + padding;
  return { version, sampleRate, channels: b3 >> 6 === 3 ? 1 : 2, lengthBytes, samplesPerFrame: version === '1' ? 1152 : 576 };
}

/**
 * Streams an MP3 through mpg123 (WebAssembly): bytes go in as the source delivers them and
 * planar float blocks come out, so memory stays at one read's worth of audio.
 */
export async function decodeMp3(source: AsyncIterable<Uint8Array> | ByteReader): Promise<DecodedAudio> {
  const reader = source instanceof ByteReader ? source : new ByteReader(source);
  const first = await findFirstFrame(reader);
  const format: PcmFormat = { container: 'mp3', sampleRate: first.sampleRate, channels: first.channels };
  return { format, blocks: mp3Blocks(reader, first) };
}

async function findFirstFrame(reader: ByteReader): Promise<Mp3FrameHeader> {
  const id3 = await reader.peek(10);
  if (id3.length === 10 && id3.toString('latin1', 0, 3) === 'ID3') {
    // ID3v2: synchsafe 28-bit size after the 10-byte header, plus a 10-byte footer when flagged.
    const size = ((id3[6]! & 0x7f) << 21) | ((id3[7]! & 0x7f) << 14) | ((id3[8]! & 0x7f) << 7) | (id3[9]! & 0x7f);
    const footer = id3[5]! & 0x10 ? 10 : 0;
    if (!(await reader.skip(10 + size + footer))) throw new UndecodableAudioError('MP3 file ends inside its ID3 tag');
  }
  const window = await reader.peek(SYNC_SCAN_BYTES);
  for (let offset = 0; offset + 4 <= window.length; offset++) {
    const header = parseMp3FrameHeader(window, offset);
    if (!header) continue;
    // A lone 0xFFE pattern can occur by chance: a real frame is followed by another like it (or the end).
    const next = offset + header.lengthBytes;
    const following = parseMp3FrameHeader(window, next);
    if (next + 4 > window.length ? next <= window.length : following?.sampleRate === header.sampleRate) {
      await reader.skip(offset);
      return header;
    }
  }
  throw new UndecodableAudioError('no MPEG Layer III frame found at the start of the file');
}

async function* mp3Blocks(reader: ByteReader, first: Mp3FrameHeader): AsyncGenerator<PcmBlock> {
  const decoder = new MPEGDecoder();
  let ready = false;
  let samples = 0;
  let errors = 0;
  try {
    await decoder.ready;
    ready = true;
    for (let bytes = await reader.next(); bytes; bytes = await reader.next()) {
      const decoded = decoder.decode(bytes);
      errors += decoded.errors.length;
      if (decoded.samplesDecoded === 0) continue;
      if (decoded.sampleRate !== first.sampleRate) {
        throw new UndecodableAudioError(`MP3 sample rate changes mid-stream (${first.sampleRate} Hz to ${decoded.sampleRate} Hz)`);
      }
      samples += decoded.samplesDecoded;
      // mpg123 always hands out two planes; for a mono stream the second is a copy of the first.
      yield first.channels === 1 ? [decoded.channelData[0]!] : [decoded.channelData[0]!, decoded.channelData[1]!];
    }
    if (samples === 0) throw new UndecodableAudioError(`no MP3 frame could be decoded (${errors} decoder error(s))`);
    const frames = samples / first.samplesPerFrame;
    if (errors > frames * MAX_ERRORS_PER_FRAME) {
      throw new UndecodableAudioError(`MP3 is damaged: ${errors} decoder error(s) in ${Math.round(frames)} frames`);
    }
  } finally {
    if (ready) decoder.free();
    await reader.close();
  }
}
