import { VendorFailure } from './vendor-failure';
import type { Readable } from 'node:stream';

export interface TranscriptSegment {
  speaker: string;
  startSeconds: number;
  endSeconds: number;
  text: string;
}

/** A transcript as a source delivers it, before redaction. */
export interface TranscriptDraft {
  language: string | null;
  text: string;
  segments: TranscriptSegment[];
}

/**
 * The one thing the transcriber needs from a speech-to-text vendor. Adapters speak the vendor's
 * wire format and nothing else: storage, retries and redaction stay in the processor.
 */
export interface SpeechToText {
  /** Stored in `transcripts.source`. */
  readonly name: string;
  transcribe(input: { audio: Readable; contentType: string; channels: number | null; signal: AbortSignal }): Promise<TranscriptDraft>;
}

/** A speech-to-text vendor's refusal or failure (see VendorFailure for `retryable`). */
export class SpeechToTextError extends VendorFailure {
  override readonly name = 'SpeechToTextError';
}
