import { Readable } from 'node:stream';
import { z } from 'zod';
import { SpeechToTextError, type SpeechToText, type TranscriptDraft, type TranscriptSegment } from './speech-to-text';
import { isRetryableStatus } from './vendor-failure';

/**
 * Deepgram's pre-recorded API: the audio goes up as the request body, the transcript comes back in
 * the response. https://developers.deepgram.com/reference/speech-to-text/listen-pre-recorded
 */
export interface DeepgramOptions {
  apiKey: string;
  /** e.g. https://api.deepgram.com (the simulator stands in locally). */
  baseUrl: string;
  model?: string;
  /** Upper bound for one request, upload included. */
  timeoutMs?: number;
}

const DEFAULT_MODEL = 'nova-3';
const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

// Dual-channel call recordings carry one party per channel (callvault's convention: agent first).
const CHANNEL_SPEAKERS = ['agent', 'customer'] as const;

/**
 * Separate channels are the reliable way to tell the parties apart; a mono (mixed) recording can
 * only be diarized. With an unknown layout both are asked for and the response decides.
 */
export function deepgramListenUrl(baseUrl: string, options: { channels: number | null; model?: string }): string {
  const params = new URLSearchParams({
    model: options.model ?? DEFAULT_MODEL,
    punctuate: 'true',
    smart_format: 'true',
    utterances: 'true',
    detect_language: 'true',
  });
  if (options.channels === null || options.channels >= 2) params.set('multichannel', 'true');
  if (options.channels === null || options.channels === 1) params.set('diarize', 'true');
  return `${baseUrl.replace(/\/+$/, '')}/v1/listen?${params.toString()}`;
}

const utteranceSchema = z.object({
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  transcript: z.string(),
  channel: z.number().int().nonnegative().default(0),
  speaker: z.number().int().nonnegative().optional(),
});

const responseSchema = z.object({
  metadata: z.object({ request_id: z.string().optional(), duration: z.number().optional(), channels: z.number().optional() }).optional(),
  results: z.object({
    channels: z
      .array(
        z.object({
          alternatives: z.array(z.object({ transcript: z.string() })).default([]),
          detected_language: z.string().optional(),
        }),
      )
      .default([]),
    utterances: z.array(utteranceSchema).optional(),
  }),
});

function speakerOf(utterance: z.infer<typeof utteranceSchema>, multichannel: boolean): string {
  if (multichannel) return CHANNEL_SPEAKERS[utterance.channel] ?? `channel_${utterance.channel}`;
  return utterance.speaker === undefined ? 'unknown' : `speaker_${utterance.speaker}`;
}

/**
 * Utterances become segments in time order; the text is their lines. Without utterances the
 * channels' transcripts are the text and there are no segments.
 */
export function parseDeepgramResponse(body: unknown): TranscriptDraft {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) throw new SpeechToTextError('Deepgram answered with an unexpected response shape', false);
  const { results } = parsed.data;
  const multichannel = results.channels.length > 1;
  const language = results.channels.find((channel) => channel.detected_language)?.detected_language ?? null;
  const segments: TranscriptSegment[] = (results.utterances ?? [])
    .filter((utterance) => utterance.transcript.trim().length > 0)
    .map((utterance) => ({
      speaker: speakerOf(utterance, multichannel),
      startSeconds: utterance.start,
      endSeconds: Math.max(utterance.start, utterance.end),
      text: utterance.transcript.trim(),
      channel: utterance.channel,
    }))
    .sort((a, b) => a.startSeconds - b.startSeconds || a.channel - b.channel)
    .map(({ channel: _channel, ...segment }) => segment);
  const text =
    segments.length > 0
      ? segments.map((segment) => segment.text).join('\n')
      : results.channels
          .map((channel) => channel.alternatives[0]?.transcript.trim() ?? '')
          .filter((transcript) => transcript.length > 0)
          .join('\n');
  return { language, text, segments };
}

async function describeFailure(response: Response): Promise<string> {
  const body = await response.text().catch(() => '');
  let detail = '';
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    detail = [json.err_code ?? json.category, json.err_msg ?? json.message].filter((part) => typeof part === 'string').join(': ');
  } catch {
    // Not JSON (a proxy's HTML page): the status says enough.
  }
  return `Deepgram answered ${response.status}${detail ? ` (${detail.slice(0, 200)})` : ''}`;
}

export function createDeepgramSpeechToText(options: DeepgramOptions): SpeechToText {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: 'deepgram',
    async transcribe({ audio, contentType, channels, signal }) {
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetch(deepgramListenUrl(options.baseUrl, { channels, ...(options.model ? { model: options.model } : {}) }), {
          method: 'POST',
          headers: { authorization: `Token ${options.apiKey}`, 'content-type': contentType, accept: 'application/json' },
          body: Readable.toWeb(audio) as ReadableStream<Uint8Array>,
          // Streams the recording up instead of buffering it: calls can be hundreds of MB.
          duplex: 'half',
          signal: AbortSignal.any([signal, timeout]),
        } as RequestInit);
      } catch (error) {
        audio.destroy();
        if (signal.aborted) throw error;
        const reason = timeout.aborted ? `timed out after ${timeoutMs} ms` : `request failed: ${(error as Error).message}`;
        throw new SpeechToTextError(`Deepgram ${reason}`, true, null, { cause: error });
      }
      if (!response.ok) {
        audio.destroy();
        throw new SpeechToTextError(await describeFailure(response), isRetryableStatus(response.status), response.status);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch (error) {
        if (signal.aborted) throw error;
        throw new SpeechToTextError('Deepgram response could not be read', true, response.status, { cause: error });
      }
      return parseDeepgramResponse(body);
    },
  };
}
