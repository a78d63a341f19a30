import type { SpeechSegment } from '../audio/speech-plan';

export interface FrameScore {
  frames: number;
  /** Share of frames where the verdict matches the truth. */
  accuracy: number;
  /** Of the frames called speech, the share that are. */
  precision: number;
  /** Of the frames that are speech, the share called speech. */
  recall: number;
}

/**
 * How a detector's per-frame verdicts (one array per channel, 1 = speech) compare with the ground
 * truth, over all channels: a frame is speech when its centre lies inside one of its channel's segments.
 */
export function scoreSpeechFrames(speech: readonly Uint8Array[], segments: readonly SpeechSegment[], frameSeconds: number): FrameScore {
  let [frames, agree, truePositive, calledSpeech, isSpeech] = [0, 0, 0, 0, 0];
  speech.forEach((flags, channel) => {
    const own = segments.filter((s) => s.channel === channel);
    flags.forEach((flag, f) => {
      const centre = (f + 0.5) * frameSeconds;
      const truth = own.some((s) => s.startSeconds <= centre && centre < s.endSeconds) ? 1 : 0;
      frames++;
      agree += flag === truth ? 1 : 0;
      truePositive += flag === 1 && truth === 1 ? 1 : 0;
      calledSpeech += flag;
      isSpeech += truth;
    });
  });
  return {
    frames,
    accuracy: agree / frames,
    precision: calledSpeech > 0 ? truePositive / calledSpeech : 1,
    recall: isSpeech > 0 ? truePositive / isSpeech : 1,
  };
}
