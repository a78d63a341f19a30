import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import { SpeechToTextError, type SpeechToText, type TranscriptDraft, type TranscriptSegment } from './speech-to-text';
import { isRetryableStatus } from './vendor-failure';

/**
 * OpenAI-compatible speech-to-text (`POST {base}/audio/transcriptions`, OpenAI Whisper and
 * self-hosted Whisper servers), `verbose_json` for timed segments. Whisper does not tell speakers
 * apart, so a dual-channel 16-bit WAV is split and each channel transcribed on its own: the
 * channel is the speaker (agent first, as the providers record), and the segments of both are
 * stitched by their start times. Other audio is sent whole, its speaker unknown.
 */
export interface OpenAiSpeechToTextOptions {
  /** Up to and including `/v1`. */
  baseUrl: string;
  apiKey: string | null;
  model: string;
  timeoutMs?: number;
}

const CHANNEL_SPEAKERS = ['agent', 'customer'];

const verboseJson = z.object({
  language: z.string().nullish(),
  text: z.string(),
  segments: z.array(z.object({ start: z.number().min(0), end: z.number().min(0), text: z.string() })).default([]),
});

/** One mono 16-bit WAV per channel of a PCM WAV; undefined when the audio is something else. */
export function splitWavChannels(bytes: Buffer): Buffer[] | undefined {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number; audioFormat: number } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      format = {
        audioFormat: bytes.readUInt16LE(offset + 8),
        channels: bytes.readUInt16LE(offset + 10),
        sampleRate: bytes.readUInt32LE(offset + 12),
        bits: bytes.readUInt16LE(offset + 22),
      };
    }
    if (id === 'data') {
      if (format?.audioFormat !== 1 || format.bits !== 16 || format.channels < 2) return undefined;
      const end = size === 0 || size === 0xffffffff ? bytes.length : Math.min(bytes.length, offset + 8 + size);
      const data = bytes.subarray(offset + 8, end);
      const frames = Math.floor(data.length / (2 * format.channels));
      return Array.from({ length: format.channels }, (_, channel) => {
        const mono = Buffer.alloc(44 + frames * 2);
        writeMonoHeader(mono, format!.sampleRate, frames * 2);
        for (let frame = 0; frame < frames; frame += 1) mono.writeInt16LE(data.readInt16LE((frame * format!.channels + channel) * 2), 44 + frame * 2);
        return mono;
      });
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

function writeMonoHeader(target: Buffer, sampleRate: number, dataBytes: number): void {
  target.write('RIFF', 0, 'ascii');
  target.writeUInt32LE(36 + dataBytes, 4);
  target.write('WAVEfmt ', 8, 'ascii');
  target.writeUInt32LE(16, 16);
  target.writeUInt16LE(1, 20);
  target.writeUInt16LE(1, 22);
  target.writeUInt32LE(sampleRate, 24);
  target.writeUInt32LE(sampleRate * 2, 28);
  target.writeUInt16LE(2, 32);
  target.writeUInt16LE(16, 34);
  target.write('data', 36, 'ascii');
  target.writeUInt32LE(dataBytes, 40);
}

export function createOpenAiSpeechToText(options: OpenAiSpeechToTextOptions): SpeechToText {
  const timeoutMs = options.timeoutMs ?? 600_000;

  async function transcribeOne(audio: Buffer, contentType: string, signal: AbortSignal): Promise<z.infer<typeof verboseJson>> {
    const form = new FormData();
    form.set('file', new Blob([audio], { type: contentType }), contentType === 'audio/mpeg' ? 'recording.mp3' : 'recording.wav');
    form.set('model', options.model);
    form.set('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'segment');
    let response: Response;
    try {
      response = await fetch(`${options.baseUrl}/audio/transcriptions`, {
        method: 'POST',
        headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
        body: form,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (error) {
      throw new SpeechToTextError('speech-to-text server unreachable or too slow', true, null, { cause: error });
    }
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 300);
      throw new SpeechToTextError(`speech-to-text server answered ${response.status}: ${detail}`, isRetryableStatus(response.status), response.status);
    }
    const parsed = verboseJson.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new SpeechToTextError('speech-to-text server answered without verbose_json', false, response.status);
    return parsed.data;
  }

  return {
    name: 'openai-whisper',
    async transcribe({ audio, contentType, channels, signal }): Promise<TranscriptDraft> {
      const bytes = await buffer(audio);
      const parts = (channels ?? 1) > 1 ? splitWavChannels(bytes) : undefined;
      const inputs = parts
        ? parts.map((part, channel) => ({ audio: part, type: 'audio/wav', speaker: CHANNEL_SPEAKERS[channel] ?? `channel_${channel}` }))
        : [{ audio: bytes, type: contentType, speaker: 'unknown' }];
      const results = [];
      // One channel after the other: a self-hosted server is often a single GPU.
      for (const input of inputs) results.push({ speaker: input.speaker, answer: await transcribeOne(input.audio, input.type, signal) });
      const segments: TranscriptSegment[] = results
        .flatMap(({ speaker, answer }) =>
          answer.segments.map((segment) => ({ speaker, startSeconds: segment.start, endSeconds: segment.end, text: segment.text.trim() })),
        )
        .filter((segment) => segment.text.length > 0)
        .sort((a, b) => a.startSeconds - b.startSeconds || a.endSeconds - b.endSeconds);
      return {
        language: results[0]?.answer.language ?? null,
        text:
          segments.length > 0
            ? segments.map((segment) => `${segment.speaker}: ${segment.text}`).join('\n')
            : results.map((result) => result.answer.text).join('\n'),
        segments,
      };
    },
  };
}
