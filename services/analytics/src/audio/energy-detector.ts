import { FrameEnergyMeter } from './frame-energy';
import { detectSpeech } from './speech-activity';
import type { DetectorSetup, SpeechDetector } from './speech-detector';

/**
 * Speech is what stands far enough above the channel's own noise floor: frame levels first, then
 * a threshold from their spread (speech-activity.ts), so it needs the whole channel before deciding.
 */
export function createEnergyDetector({ format, frameLength, activity }: DetectorSetup): SpeechDetector {
  const meter = new FrameEnergyMeter(format.channels, frameLength);
  return {
    push: (block) => meter.push(block),
    finish: () => meter.finish().levelsDb.map((levels) => detectSpeech(levels, activity)),
    close: () => {},
  };
}
