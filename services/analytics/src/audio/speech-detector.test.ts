import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSpeechCall, createWavStream, scoreSpeechFrames, speechCallMedia, talkSeconds } from '@callvault/simulator';
import { analyzeAudio, detectSpeechFrames } from './analyze-audio';
import { SPEECH_DETECTORS } from './speech-detector';

async function* once(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('speech detectors', () => {
  for (const detector of SPEECH_DETECTORS) {
    it(`${detector}: agrees with the ground truth of a clean speech call on 95 % of frames`, async () => {
      const call = await createSpeechCall({ durationSeconds: 60, seed: 8 });
      const frames = await detectSpeechFrames(once(call.wav), { detector });
      expect(frames.speech.map((flags) => flags.length)).toEqual([3000, 3000]);
      expect(scoreSpeechFrames(frames.speech, call.segments, frames.frameSeconds).accuracy).toBeGreaterThan(0.95);
    });
  }

  it('energy: reads the MP3 of a speech call like its WAV, lined up with the ground truth', async () => {
    const call = await createSpeechCall({ durationSeconds: 30, seed: 9 });
    const wav = await analyzeAudio(once(call.wav));
    const mp3 = await analyzeAudio(once(speechCallMedia(call, { channels: 2, format: 'mp3' })));
    expect(mp3.format).toBe('mp3');
    expect(Math.abs(mp3.agentTalkSeconds! - wav.agentTalkSeconds!)).toBeLessThan(0.3);
    expect(Math.abs(mp3.customerTalkSeconds! - wav.customerTalkSeconds!)).toBeLessThan(0.3);
    // Misaligned by the codec delay (0.14 s), every phrase would lose its first frames to the truth.
    const frames = await detectSpeechFrames(once(speechCallMedia(call, { channels: 2, format: 'mp3' })));
    expect(scoreSpeechFrames(frames.speech, call.segments, frames.frameSeconds).accuracy).toBeGreaterThan(0.95);
    expect(Math.abs(mp3.agentTalkSeconds! - talkSeconds(call.segments, 0)) / talkSeconds(call.segments, 0)).toBeLessThan(0.08);
  });

  it('webrtc-vad: reaches the same verdicts at a rate libfvad does not take (averaged down to 8 kHz)', async () => {
    const spec = { durationSeconds: 30, channels: 2 as const, seed: 4 };
    const native = await analyzeAudio(once(await collect(createWavStream(spec).stream)), { detector: 'webrtc-vad' });
    const other = await analyzeAudio(once(await collect(createWavStream({ ...spec, sampleRate: 11025 }).stream)), { detector: 'webrtc-vad' });
    expect(other.sampleRate).toBe(11025);
    expect(other.turns).toBe(native.turns);
    expect(Math.abs(other.agentTalkSeconds! - native.agentTalkSeconds!)).toBeLessThan(0.5);
    expect(Math.abs(other.customerTalkSeconds! - native.customerTalkSeconds!)).toBeLessThan(0.5);
  });
});
