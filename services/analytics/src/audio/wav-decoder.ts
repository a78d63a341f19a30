import { ByteReader } from './byte-reader';
import type { DecodedAudio, PcmBlock, PcmFormat } from './pcm';
import { UndecodableAudioError } from './undecodable-audio-error';

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
// Writers that stream a WAV before knowing its length put one of these in the data size.
const UNKNOWN_DATA_SIZES = new Set([0, 0xffffffff]);
// Decode in blocks of about this many bytes: large enough to amortise the per-block work,
// small enough that a block of planar floats stays well under a megabyte.
const BLOCK_BYTES = 64 * 1024;

export interface WavHeader extends PcmFormat {
  container: 'wav';
  bitsPerSample: number;
  blockAlign: number;
  /** Byte length of the data chunk, or undefined when the writer did not know it (read to the end). */
  dataBytes: number | undefined;
}

/**
 * Walks the RIFF chunks up to `data` (skipping LIST, fact, cue and whatever else a writer put
 * before it, without buffering them) and checks the format is 16-bit integer PCM.
 */
export async function readWavHeader(reader: ByteReader): Promise<WavHeader> {
  const riff = await reader.read(12);
  if (riff?.toString('latin1', 0, 4) !== 'RIFF' || riff.toString('latin1', 8, 12) !== 'WAVE') {
    throw new UndecodableAudioError('not a RIFF/WAVE file');
  }
  let format: Omit<WavHeader, 'dataBytes'> | undefined;
  for (;;) {
    const chunkHeader = await reader.read(8);
    if (!chunkHeader) throw new UndecodableAudioError(format ? 'WAV file has no data chunk' : 'WAV file has no fmt chunk');
    const id = chunkHeader.toString('latin1', 0, 4);
    const size = chunkHeader.readUInt32LE(4);
    if (id === 'fmt ') {
      // A real fmt chunk is 16 to 40 bytes: a huge size means garbage, not something to buffer.
      const body = size >= 16 && size <= 1024 ? await reader.read(size) : undefined;
      if (!body) throw new UndecodableAudioError(`WAV fmt chunk is malformed (${size} bytes)`);
      format = parseFmt(body);
      if (size % 2 === 1) await reader.skip(1);
    } else if (id === 'data') {
      if (!format) throw new UndecodableAudioError('WAV data chunk comes before its fmt chunk');
      return { ...format, dataBytes: UNKNOWN_DATA_SIZES.has(size) ? undefined : size };
    } else if (!(await reader.skip(size + (size % 2)))) {
      // RIFF chunks are word-aligned: an odd-sized chunk is followed by a pad byte.
      throw new UndecodableAudioError(`WAV file ends inside its "${id}" chunk`);
    }
  }
}

function parseFmt(body: Buffer): Omit<WavHeader, 'dataBytes'> {
  let formatTag = body.readUInt16LE(0);
  const channels = body.readUInt16LE(2);
  const sampleRate = body.readUInt32LE(4);
  const blockAlign = body.readUInt16LE(12);
  const bitsPerSample = body.readUInt16LE(14);
  // WAVE_FORMAT_EXTENSIBLE carries the real format in the first two bytes of its sub-format GUID.
  if (formatTag === WAVE_FORMAT_EXTENSIBLE && body.length >= 26) formatTag = body.readUInt16LE(24);
  if (formatTag !== WAVE_FORMAT_PCM) throw new UndecodableAudioError(`unsupported WAV encoding (format tag 0x${formatTag.toString(16)}); only integer PCM is`);
  if (bitsPerSample !== 16) throw new UndecodableAudioError(`unsupported WAV sample size: ${bitsPerSample}-bit; only 16-bit PCM is`);
  if (channels < 1) throw new UndecodableAudioError('WAV fmt chunk declares no channels');
  if (sampleRate < 1000 || sampleRate > 384_000) throw new UndecodableAudioError(`implausible WAV sample rate: ${sampleRate} Hz`);
  if (blockAlign !== channels * 2) throw new UndecodableAudioError(`WAV block align ${blockAlign} does not match ${channels} channel(s) of 16-bit samples`);
  return { container: 'wav', sampleRate, channels, bitsPerSample, blockAlign };
}

/** Streams a 16-bit PCM WAV as planar float blocks; a sample frame split across reads is carried over. */
export async function decodeWav(source: AsyncIterable<Uint8Array> | ByteReader): Promise<DecodedAudio & { format: WavHeader }> {
  const reader = source instanceof ByteReader ? source : new ByteReader(source);
  const header = await readWavHeader(reader);
  return { format: header, blocks: wavBlocks(reader, header) };
}

async function* wavBlocks(reader: ByteReader, header: WavHeader): AsyncGenerator<PcmBlock> {
  const { channels, blockAlign, dataBytes } = header;
  let left = dataBytes ?? Number.POSITIVE_INFINITY;
  let carry = Buffer.alloc(0);
  try {
    while (left > 0) {
      const bytes = await reader.next(Math.min(left, BLOCK_BYTES));
      if (!bytes) break;
      left -= bytes.length;
      const joined = carry.length > 0 ? Buffer.concat([carry, bytes]) : bytes;
      const whole = joined.length - (joined.length % blockAlign);
      carry = Buffer.from(joined.subarray(whole));
      if (whole > 0) yield deinterleave16(joined, whole / blockAlign, channels);
    }
    if (dataBytes !== undefined && left > 0) {
      throw new UndecodableAudioError(`WAV data chunk declares ${dataBytes} bytes but the file ends after ${dataBytes - left}`);
    }
  } finally {
    // Chunks after the audio (a trailing LIST, say) are of no interest: let the source go.
    await reader.close();
  }
}

function deinterleave16(bytes: Buffer, frames: number, channels: number): PcmBlock {
  const planes = Array.from({ length: channels }, () => new Float32Array(frames));
  const scale = 1 / 32768;
  for (let ch = 0; ch < channels; ch++) {
    const plane = planes[ch]!;
    // Little-endian 16-bit read by hand: the buffer may sit at an odd offset, so no Int16Array view.
    for (let i = 0, at = ch * 2; i < frames; i++, at += channels * 2) {
      plane[i] = (((bytes[at]! | (bytes[at + 1]! << 8)) << 16) >> 16) * scale;
    }
  }
  return planes;
}
