import { createEnergyDetector } from './energy-detector';
import type { PcmBlock, PcmFormat } from './pcm';
import type { ActivityOptions } from './speech-activity';
import { createWebRtcVadDetector } from './webrtc-vad';

/**
 * Who talks when on each channel, decided as the audio streams in: one flag per channel per
 * frame (1 = speech). Two detectors stand behind it, so the one the worker does not use can
 * still be measured against the same corpus (bench:analytics).
 */
export interface SpeechDetector {
  push(block: PcmBlock): void;
  /** One array per channel, one flag per whole frame; a trailing partial frame is dropped. */
  finish(): Uint8Array[];
  /** Frees what the detector holds outside the JavaScript heap; called once, also after a failure. */
  close(): void;
}

export type SpeechDetectorName = 'energy' | 'webrtc-vad';

export const SPEECH_DETECTORS: readonly SpeechDetectorName[] = ['energy', 'webrtc-vad'];

export const DEFAULT_SPEECH_DETECTOR: SpeechDetectorName = 'energy';

export interface DetectorSetup {
  format: Pick<PcmFormat, 'sampleRate' | 'channels'>;
  frameLength: number;
  activity: ActivityOptions;
}

export function createSpeechDetector(name: SpeechDetectorName, setup: DetectorSetup): Promise<SpeechDetector> {
  return name === 'energy' ? Promise.resolve(createEnergyDetector(setup)) : createWebRtcVadDetector(setup);
}
