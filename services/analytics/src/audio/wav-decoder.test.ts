import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-reader';
import type { PcmBlock } from './pcm';
import { UndecodableAudioError } from './undecodable-audio-error';
import { decodeWav, readWavHeader } from './wav-decoder';

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  // Odd-sized chunks are followed by a pad byte that their size does not count.
  return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
}

function fmt(options: { channels: number; sampleRate: number; bits?: number; tag?: number; extensibleSubFormat?: number }): Buffer {
  const bits = options.bits ?? 16;
  const body = Buffer.alloc(options.extensibleSubFormat === undefined ? 16 : 40);
  body.writeUInt16LE(options.tag ?? (options.extensibleSubFormat === undefined ? 1 : 0xfffe), 0);
  body.writeUInt16LE(options.channels, 2);
  body.writeUInt32LE(options.sampleRate, 4);
  body.writeUInt32LE((options.sampleRate * options.channels * bits) / 8, 8);
  body.writeUInt16LE((options.channels * bits) / 8, 12);
  body.writeUInt16LE(bits, 14);
  if (options.extensibleSubFormat !== undefined) {
    body.writeUInt16LE(22, 16);
    body.writeUInt16LE(options.extensibleSubFormat, 24);
  }
  return chunk('fmt ', body);
}

function wav(chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), ...chunks]);
  const header = Buffer.alloc(8);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}

function interleaved(frames: number[][]): Buffer {
  const out = Buffer.alloc(frames.length * frames[0]!.length * 2);
  for (const [i, sample] of frames.flat().entries()) out.writeInt16LE(sample, i * 2);
  return out;
}

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function decodeAll(bytes: Buffer, pieceSize = bytes.length || 1) {
  const audio = await decodeWav(pieces(bytes, pieceSize));
  const blocks: PcmBlock[] = [];
  for await (const block of audio.blocks) blocks.push(block);
  const planes = Array.from({ length: audio.format.channels }, (_, ch) => blocks.flatMap((block) => Array.from(block[ch]!)));
  return { format: audio.format, planes };
}

const samples = [
  [0, 32767],
  [-32768, 16384],
  [1, -1],
];

describe('readWavHeader', () => {
  it('reads the canonical 44-byte header', async () => {
    const file = wav([fmt({ channels: 2, sampleRate: 8000 }), chunk('data', interleaved(samples))]);
    const header = await readWavHeader(new ByteReader(pieces(file, 1000)));
    expect(header).toEqual({ container: 'wav', channels: 2, sampleRate: 8000, bitsPerSample: 16, blockAlign: 4, dataBytes: 12 });
  });

  it('skips a LIST chunk (and an odd-sized chunk with its pad byte) before data', async () => {
    const list = chunk('LIST', Buffer.concat([Buffer.from('INFOISFT', 'latin1'), Buffer.from('\x0e\x00\x00\x00Lavf60.16.100\x00', 'latin1')]));
    const odd = chunk('junk', Buffer.from('abc'));
    const file = wav([fmt({ channels: 2, sampleRate: 16000 }), list, odd, chunk('data', interleaved(samples))]);
    // One byte at a time: every field straddles a read boundary.
    const { format, planes } = await decodeAll(file, 1);
    expect(format).toMatchObject({ channels: 2, sampleRate: 16000, dataBytes: 12 });
    expect(planes[0]).toEqual([0, -1, 1 / 32768]);
    expect(planes[1]).toEqual([32767 / 32768, 0.5, -1 / 32768]);
  });

  it('accepts WAVE_FORMAT_EXTENSIBLE carrying PCM and a LIST before fmt', async () => {
    const file = wav([chunk('LIST', Buffer.alloc(30)), fmt({ channels: 1, sampleRate: 8000, extensibleSubFormat: 1 }), chunk('data', interleaved([[5], [6]]))]);
    const { format, planes } = await decodeAll(file, 7);
    expect(format).toMatchObject({ channels: 1, sampleRate: 8000 });
    expect(planes[0]).toEqual([5 / 32768, 6 / 32768]);
  });

  it('refuses what it cannot decode, saying why', async () => {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from('RIFX\0\0\0\0WAVE'), /not a RIFF\/WAVE/],
      [wav([chunk('data', interleaved(samples))]), /data chunk comes before its fmt/],
      [wav([fmt({ channels: 2, sampleRate: 8000, bits: 24 })]), /24-bit/],
      [wav([fmt({ channels: 2, sampleRate: 8000, tag: 3 })]), /format tag 0x3/],
      [wav([fmt({ channels: 1, sampleRate: 8000 })]), /no data chunk/],
      [wav([fmt({ channels: 1, sampleRate: 8000 }), Buffer.from('LIST\xff\xff\x00\x00abc', 'latin1')]), /ends inside its "LIST" chunk/],
    ];
    for (const [file, reason] of cases) {
      const error = await decodeAll(file).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UndecodableAudioError);
      expect((error as Error).message).toMatch(reason);
    }
  });
});

describe('decodeWav', () => {
  it('carries a sample frame split across reads', async () => {
    const frames = Array.from({ length: 1000 }, (_, i) => [i * 30 - 15000, 15000 - i * 30]);
    const file = wav([fmt({ channels: 2, sampleRate: 8000 }), chunk('data', interleaved(frames))]);
    for (const size of [3, 5, 4099]) {
      const { planes } = await decodeAll(file, size);
      expect(planes[0]).toEqual(frames.map(([left]) => left! / 32768));
      expect(planes[1]).toEqual(frames.map(([, right]) => right! / 32768));
    }
  });

  it('reads to the end when the writer did not know the data size, and stops at the declared size otherwise', async () => {
    const unknownSize = wav([fmt({ channels: 1, sampleRate: 8000 }), chunk('data', interleaved([[1], [2], [3]]))]);
    unknownSize.writeUInt32LE(0xffffffff, unknownSize.length - 6 - 4);
    expect((await decodeAll(unknownSize)).planes[0]).toHaveLength(3);

    const trailing = wav([fmt({ channels: 1, sampleRate: 8000 }), chunk('data', interleaved([[1], [2]])), chunk('LIST', Buffer.alloc(10))]);
    expect((await decodeAll(trailing, 3)).planes[0]).toEqual([1 / 32768, 2 / 32768]);
  });

  it('fails a file cut short of its declared data', async () => {
    const file = wav([fmt({ channels: 1, sampleRate: 8000 }), chunk('data', interleaved([[1], [2], [3], [4]]))]);
    await expect(decodeAll(file.subarray(0, file.length - 4))).rejects.toThrow(/declares 8 bytes but the file ends after 4/);
  });
});
