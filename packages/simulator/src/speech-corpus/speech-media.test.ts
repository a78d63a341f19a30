import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator';
import { LINE_NOISE_LEVELS } from './line-noise';
import { createSpeechCall } from './speech-call';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(async () => {
  await sim?.close();
});

async function fetchMedia(accountSid: string, authToken: string, file: string): Promise<Buffer> {
  const response = await fetch(`${sim.baseUrl}/2010-04-01/Accounts/${accountSid}/Recordings/${file}`, {
    headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` },
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('a simulated Twilio recording of real speech', () => {
  it('serves the speech-corpus call: both channels, mixed down, or as MP3', async () => {
    const account = sim.state.addAccount();
    const noise = LINE_NOISE_LEVELS[1]!;
    const recording = sim.state.addRecording(account.accountSid, { durationSeconds: 12, channels: 2, seed: 77, speech: noise });
    const call = await createSpeechCall({ durationSeconds: 12, seed: 77, noise });

    const stereo = await fetchMedia(account.accountSid, account.authToken, `${recording.sid}.wav?RequestedChannels=2`);
    expect(stereo.equals(call.wav)).toBe(true);
    expect(sim.state.served.get(recording.sid)).toMatchObject({ sizeBytes: call.wav.length, format: 'wav', channels: 2 });

    const mono = await fetchMedia(account.accountSid, account.authToken, `${recording.sid}.wav`);
    expect(mono.readUInt16LE(22)).toBe(1);
    expect(mono.length).toBe(44 + 12 * 8000 * 2);
    // Twilio's mixdown: both legs summed (clipped at full scale).
    for (const at of [1000, 40_000, 90_000]) {
      const sum = call.pcm[0][at]! + call.pcm[1][at]!;
      expect(mono.readInt16LE(44 + at * 2)).toBe(Math.max(-32768, Math.min(32767, sum)));
    }

    const mp3 = await fetchMedia(account.accountSid, account.authToken, `${recording.sid}.mp3?RequestedChannels=2`);
    expect(mp3[0]).toBe(0xff);
    expect(mp3[1]! & 0xe0).toBe(0xe0);
    // 64 kbps for two channels: 8,000 bytes a second, plus the codec's delay and padding.
    expect(mp3.length).toBeGreaterThan(8000 * 12);
    expect(mp3.length).toBeLessThan(8000 * 12.5);
  });
});
