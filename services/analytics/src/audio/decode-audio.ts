import { ByteReader } from './byte-reader';
import { decodeMp3, parseMp3FrameHeader } from './mp3-decoder';
import type { DecodedAudio } from './pcm';
import { UndecodableAudioError } from './undecodable-audio-error';
import { decodeWav } from './wav-decoder';

/**
 * Picks the decoder from the file's first bytes rather than from its name or the recording's
 * `format` column: the bytes are what we will actually read.
 */
export async function decodeAudio(source: AsyncIterable<Uint8Array>): Promise<DecodedAudio> {
  const reader = new ByteReader(source);
  const magic = await reader.peek(12);
  if (magic.toString('latin1', 0, 4) === 'RIFF' && magic.toString('latin1', 8, 12) === 'WAVE') return decodeWav(reader);
  if (magic.toString('latin1', 0, 3) === 'ID3' || parseMp3FrameHeader(magic)) return decodeMp3(reader);
  await reader.close();
  throw new UndecodableAudioError(magic.length === 0 ? 'the audio file is empty' : 'not a WAV or MP3 file');
}
