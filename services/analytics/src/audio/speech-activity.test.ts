import { describe, expect, it } from 'vitest';
import {
  analyzeConversation,
  bridgeShortGaps,
  DEFAULT_ACTIVITY_OPTIONS,
  detectSpeech,
  dropShortBursts,
  longestMonologue,
  speechThresholdDb,
} from './speech-activity';

/** '1' = active frame, '0' = inactive; spaces are ignored (they only help reading). */
const flags = (pattern: string) => Uint8Array.from(pattern.replace(/ /g, ''), (c) => (c === '1' ? 1 : 0));
const pattern = (active: Uint8Array) => Array.from(active).join('');

/** Frame levels: `speech` frames at speechDb laid over a noise floor, in the given pattern. */
function levels(activity: string, speechDb: number, noiseDb: number): Float32Array {
  return Float32Array.from(flags(activity), (on, i) => (on ? speechDb : noiseDb) + ((i * 7) % 5) * 0.3);
}

describe('speechThresholdDb', () => {
  it('sits a margin above the noise floor when speech stands far above it', () => {
    const threshold = speechThresholdDb(levels('0000011111'.repeat(20), -20, -70));
    // Noise floor (5th percentile) ~-70 dB, capped margin 15 dB.
    expect(threshold).toBeGreaterThan(-56);
    expect(threshold).toBeLessThan(-53);
  });

  it('puts the threshold in the lower third of a noisy line’s dynamic range', () => {
    // 20 dB between noise and speech: margin is a third of it (~6.7 dB), not the full 15 dB, so
    // the quieter parts of speech still count (it was half, which missed them on the speech corpus).
    const threshold = speechThresholdDb(levels('0011'.repeat(50), -25, -45));
    expect(threshold).toBeGreaterThan(-39);
    expect(threshold).toBeLessThan(-37);
  });

  it('adapts to the recording level: a quiet recording gets a lower threshold', () => {
    const loud = speechThresholdDb(levels('000111'.repeat(30), -15, -60));
    const quiet = speechThresholdDb(levels('000111'.repeat(30), -35, -80));
    expect(loud - quiet).toBeCloseTo(20, 0);
  });

  it('finds a party who says one word in a long call', () => {
    // 0.3 s of speech in 60 s: well under 1 % of the frames.
    const yes = `${'0'.repeat(1500)}${'1'.repeat(15)}${'0'.repeat(1485)}`;
    const active = detectSpeech(levels(yes, -22, -68));
    expect(active.reduce((sum, on) => sum + on, 0)).toBe(15);
  });

  it('treats a channel without contrast as all silence or all speech by its level', () => {
    expect(speechThresholdDb(levels('0'.repeat(100), -20, -70))).toBe(Number.POSITIVE_INFINITY);
    expect(speechThresholdDb(levels('1'.repeat(100), -20, -70))).toBe(Number.NEGATIVE_INFINITY);
    expect(speechThresholdDb(new Float32Array(0))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('bridgeShortGaps and dropShortBursts', () => {
  it('bridges dips up to the hangover length inside speech, not longer pauses', () => {
    expect(pattern(bridgeShortGaps(flags('111 00 111 000000 111'), 5))).toBe(pattern(flags('111 11 111 000000 111')));
    expect(pattern(bridgeShortGaps(flags('111 00000 1'), 5))).toBe(pattern(flags('111 11111 1')));
  });

  it('does not extend speech at the edges of the recording or of a turn', () => {
    expect(pattern(bridgeShortGaps(flags('00 111 00'), 5))).toBe(pattern(flags('00 111 00')));
  });

  it('drops bursts shorter than the minimum and keeps the rest', () => {
    expect(pattern(dropShortBursts(flags('1 000 11 0 1 000 1111 0 1'), 2))).toBe(pattern(flags('0 000 11 0 0 000 1111 0 0')));
  });

  it('detectSpeech bridges first, so a word with a click-length dip is one stretch', () => {
    const active = detectSpeech(levels('000000 1110100111 000000 1 000000'.repeat(10), -20, -70));
    expect(pattern(active.subarray(0, 29))).toBe(pattern(flags('000000 1111111111 000000 0 000000')));
  });
});

describe('analyzeConversation', () => {
  it('counts talk, overlap and silence frame by frame', () => {
    const agent = flags('1111 0000 0011 0000');
    const customer = flags('0000 0011 1111 0000');
    expect(analyzeConversation(agent, customer)).toMatchObject({
      frames: 16,
      agentFrames: 6,
      customerFrames: 6,
      overlapFrames: 2,
      talkFrames: 10,
      silenceFrames: 6,
    });
  });

  it('counts a turn when the floor passes, not when someone talks over the holder', () => {
    // Agent, customer backchannels over the agent (no turn), agent goes on, customer takes over, agent answers.
    const agent = flags('111111111 000000 0000 1111');
    const customer = flags('000110000 000000 1111 0000');
    expect(analyzeConversation(agent, customer).turns).toBe(2);
    // A handover through overlap is one turn.
    expect(analyzeConversation(flags('1111110000'), flags('0000111111')).turns).toBe(1);
    // Nobody talked: no turn.
    expect(analyzeConversation(flags('0000'), flags('0000')).turns).toBe(0);
  });

  it('finds the longest monologue across short pauses of the speaker, ended by the other party', () => {
    const gap = 3;
    // Agent: 4 + pause 2 + 3 = 9 frames; then the customer interrupts; agent again 5 frames.
    const agent = flags('1111 00 111 000 11111');
    const customer = flags('0000 00 000 110 00000');
    expect(longestMonologue(agent, customer, gap)).toBe(9);
    // A pause as long as the gap splits the monologue.
    expect(longestMonologue(flags('1111 000 111'), flags('0000 000 000'), gap)).toBe(4);
    // Overlap frames are not "talking alone".
    expect(longestMonologue(flags('111111'), flags('001100'), gap)).toBe(2);
    const result = analyzeConversation(agent, customer, gap);
    expect(result.longestMonologueFrames).toBe(9);
    expect(result.longestMonologueParty).toBe(0);
    expect(analyzeConversation(flags('0000'), flags('0000'), gap).longestMonologueParty).toBeNull();
  });

  it('refuses parties of different lengths', () => {
    expect(() => analyzeConversation(flags('11'), flags('111'))).toThrow(RangeError);
  });

  it('keeps the default hangover below the shortest pause between one speaker’s turns', () => {
    // 0.2 s at 20 ms frames = 10 frames: bridging must never merge two turns of one party.
    expect(DEFAULT_ACTIVITY_OPTIONS.bridgeFrames).toBeLessThan(10);
  });
});
