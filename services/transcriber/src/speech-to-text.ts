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

/**
 * A vendor refusal or failure. `retryable` says whether trying the same audio again later can
 * help (5xx, 429, timeouts, connection errors); otherwise (bad audio, bad key) it cannot.
 */
export class SpeechToTextError extends Error {
  override readonly name = 'SpeechToTextError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
