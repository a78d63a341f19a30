/**
 * A speech-corpus call as a provider serves it: WAV or MP3, both channels or mixed down to one
 * (Twilio mixes a dual-channel recording down unless asked for both).
 */
import { Mp3Encoder } from '@breezystack/lamejs';
import { MP3_DECODED_DELAY_FRAMES, mp3BitrateKbps } from '../audio/mp3-stream';
import { toWav, type SpeechCall } from './speech-call';

export interface SpeechMediaOptions {
  channels: 1 | 2;
  format: 'wav' | 'mp3';
}

export function speechCallMedia(call: SpeechCall, { channels, format }: SpeechMediaOptions): Buffer {
  const planes = channels === 2 ? call.pcm : [mixDown(call.pcm)];
  return format === 'wav' ? toWav(planes) : toMp3(planes, call.sampleRate);
}

function mixDown([agent, caller]: readonly [Int16Array, Int16Array]): Int16Array {
  return Int16Array.from(agent, (sample, i) => Math.max(-32768, Math.min(32767, sample + caller[i]!)));
}

/** Encoded like the tone calls' MP3 (mp3-stream.ts): shifted by the codec delay so the decoded audio lines up with the ground truth. */
function toMp3(planes: readonly Int16Array[], sampleRate: number): Buffer {
  const encoder = new Mp3Encoder(planes.length, sampleRate, mp3BitrateKbps(planes.length as 1 | 2));
  // The tail the shift leaves is padded with digital silence.
  const [left, right] = planes.map((plane) => {
    const shifted = new Int16Array(plane.length);
    shifted.set(plane.subarray(MP3_DECODED_DELAY_FRAMES));
    return shifted;
  });
  const parts = [encoder.encodeBuffer(left!, right), encoder.flush()];
  return Buffer.concat(parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength)));
}
