import { describe, expect, it } from 'vitest';
import { createMp3Stream } from '@callvault/simulator';
import { decodeMp3, parseMp3FrameHeader } from './mp3-decoder';
import { UndecodableAudioError } from './undecodable-audio-error';

async function simulatorMp3(channels: 1 | 2, durationSeconds = 2): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createMp3Stream({ durationSeconds, channels, seed: 11 }).stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function decodeAll(bytes: Buffer, pieceSize = 1000) {
  const audio = await decodeMp3(pieces(bytes, pieceSize));
  let samples = 0;
  let planes = 0;
  for await (const block of audio.blocks) {
    samples += block[0]!.length;
    planes = block.length;
  }
  return { format: audio.format, samples, planes };
}

/** An ID3v2.4 tag of `size` body bytes (synchsafe size). */
function id3(size: number): Buffer {
  const tag = Buffer.alloc(10 + size);
  tag.write('ID3', 0, 'latin1');
  tag[3] = 4;
  for (const [i, shift] of [21, 14, 7, 0].entries()) tag[6 + i] = (size >> shift) & 0x7f;
  return tag;
}

describe('parseMp3FrameHeader', () => {
  it('reads the simulator’s 8 kHz MPEG-2.5 frames, mono and stereo', async () => {
    expect(parseMp3FrameHeader(await simulatorMp3(1))).toEqual({ version: '2.5', sampleRate: 8000, channels: 1, lengthBytes: 288, samplesPerFrame: 576 });
    expect(parseMp3FrameHeader(await simulatorMp3(2))).toMatchObject({ version: '2.5', sampleRate: 8000, channels: 2, lengthBytes: 576 });
  });

  it('rejects what is not a Layer III header', () => {
    expect(parseMp3FrameHeader(Buffer.from([0xff, 0xfb, 0x90, 0x64]))).toMatchObject({ version: '1', sampleRate: 44100 });
    expect(parseMp3FrameHeader(Buffer.from([0xff, 0xfd, 0x90, 0x64]))).toBeUndefined(); // Layer II
    expect(parseMp3FrameHeader(Buffer.from([0xff, 0xfb, 0xf0, 0x64]))).toBeUndefined(); // bad bitrate index
    expect(parseMp3FrameHeader(Buffer.from([0xff, 0xfb, 0x9c, 0x64]))).toBeUndefined(); // reserved sample rate
    expect(parseMp3FrameHeader(Buffer.from('RIFF'))).toBeUndefined();
  });
});

describe('decodeMp3', () => {
  it('decodes the simulator’s stereo and mono MP3 with the true channel count', async () => {
    const stereo = await decodeAll(await simulatorMp3(2));
    expect(stereo.format).toEqual({ container: 'mp3', sampleRate: 8000, channels: 2 });
    expect(stereo.planes).toBe(2);
    // The whole call (2 s), plus at most the encoder's tail padding.
    expect(stereo.samples / 8000).toBeGreaterThanOrEqual(2);
    expect(stereo.samples / 8000).toBeLessThan(2.4);
    const mono = await decodeAll(await simulatorMp3(1), 97);
    expect(mono.format.channels).toBe(1);
    expect(mono.planes).toBe(1);
    expect(mono.samples).toBe(stereo.samples);
  });

  it('skips an ID3v2 tag larger than one read', async () => {
    const mp3 = await simulatorMp3(2);
    const tagged = await decodeAll(Buffer.concat([id3(70_000), mp3]), 4096);
    expect(tagged.samples).toBe((await decodeAll(mp3)).samples);
  });

  it('fails a file damaged beyond an occasional glitch', async () => {
    const damaged = await simulatorMp3(2, 3);
    for (let i = 3000; i < 9000; i++) damaged[i] = (i * 2654435761) >>> 24;
    await expect(decodeAll(damaged)).rejects.toThrow(/MP3 is damaged: \d+ decoder error/);
  });

  it('fails when no frame can be found', async () => {
    await expect(decodeAll(Buffer.concat([id3(10), Buffer.alloc(5000, 0x41)]))).rejects.toThrow(UndecodableAudioError);
    await expect(decodeAll(id3(100).subarray(0, 50))).rejects.toThrow(/ends inside its ID3 tag/);
  });
});
