import type { FastifyInstance } from 'fastify';
import { DEEPGRAM_SIM_SCRIPT, measureAudio } from './deepgram-api';

/**
 * OpenAI's speech-to-text endpoint (`POST /v1/audio/transcriptions`), as OpenAI Whisper and
 * self-hosted Whisper servers serve it: multipart form with `file` and `model`, Bearer key,
 * `response_format=verbose_json` answering `{ task, language, duration, text, segments }`. The
 * words are the simulator's script; where they fall comes from the audio itself: for 16-bit PCM
 * WAV, each stretch of sound (20 ms frames louder than a tenth of the loudest) is one segment, so
 * a caller that splits a dual-channel recording gets each party's turns at their real times.
 */
export interface AudioTranscriptionsOptions {
  apiKey: string;
}

const FRAME_SECONDS = 0.02;
const MERGE_GAP_SECONDS = 0.3;
const MIN_SEGMENT_SECONDS = 0.25;

interface Pcm {
  channels: number;
  sampleRate: number;
  samples: Int16Array;
}

function readPcmWav(bytes: Buffer): Pcm | undefined {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ')
      format = { channels: bytes.readUInt16LE(offset + 10), sampleRate: bytes.readUInt32LE(offset + 12), bits: bytes.readUInt16LE(offset + 22) };
    if (id === 'data') {
      if (format?.bits !== 16) return undefined;
      const end = size === 0 || size === 0xffffffff ? bytes.length : Math.min(bytes.length, offset + 8 + size);
      const data = bytes.subarray(offset + 8, end - ((end - offset - 8) % 2));
      const samples = new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      return { channels: format.channels, sampleRate: format.sampleRate, samples };
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

/** Stretches of sound in the first channel, as [start, end) seconds. */
function soundStretches(pcm: Pcm): Array<[number, number]> {
  const frameSamples = Math.max(1, Math.round(pcm.sampleRate * FRAME_SECONDS));
  const frames = Math.floor(pcm.samples.length / pcm.channels / frameSamples);
  const energy = new Float64Array(frames);
  for (let frame = 0; frame < frames; frame += 1) {
    let sum = 0;
    for (let index = 0; index < frameSamples; index += 1) {
      const sample = pcm.samples[(frame * frameSamples + index) * pcm.channels]!;
      sum += sample * sample;
    }
    energy[frame] = Math.sqrt(sum / frameSamples);
  }
  const threshold = Math.max(...energy, 0) / 10;
  const stretches: Array<[number, number]> = [];
  for (let frame = 0; frame < frames; frame += 1) {
    if (threshold === 0 || energy[frame]! < threshold) continue;
    const start = frame * FRAME_SECONDS;
    const last = stretches.at(-1);
    if (last && start - last[1] <= MERGE_GAP_SECONDS) last[1] = start + FRAME_SECONDS;
    else stretches.push([start, start + FRAME_SECONDS]);
  }
  return stretches.filter(([start, end]) => end - start >= MIN_SEGMENT_SECONDS);
}

const round = (value: number) => Math.round(value * 100) / 100;

export function registerAudioTranscriptionsApi(app: FastifyInstance, options: AudioTranscriptionsOptions): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 25 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    scope.post('/v1/audio/transcriptions', async (request, reply) => {
      if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
        return reply.code(401).send({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
      }
      const invalid = (message: string) => reply.code(400).send({ error: { message, type: 'invalid_request_error', param: null, code: null } });
      if (!Buffer.isBuffer(request.body)) return invalid('Expected multipart/form-data.');
      // The platform's own multipart parser (undici), as any server would use a library for it.
      const form = await new Response(request.body, { headers: { 'content-type': String(request.headers['content-type']) } }).formData().catch(() => undefined);
      const file = form?.get('file');
      if (!form || !(file instanceof Blob) || typeof form.get('model') !== 'string') return invalid("'file' and 'model' are required.");
      const audio = Buffer.from(await file.arrayBuffer());
      const measured = measureAudio(audio.subarray(0, 64 * 1024), audio.length);
      if (!measured) return invalid('Invalid file format.');
      const pcm = readPcmWav(audio);
      const stretches = pcm ? soundStretches(pcm) : [[0, measured.durationSeconds] as [number, number]];
      const segments = stretches.map(([start, end], id) => ({
        id,
        seek: 0,
        start: round(start),
        end: round(end),
        text: ` ${DEEPGRAM_SIM_SCRIPT[id % DEEPGRAM_SIM_SCRIPT.length]}`,
        tokens: [],
        temperature: 0,
        avg_logprob: -0.2,
        compression_ratio: 1.2,
        no_speech_prob: 0.01,
      }));
      const text = segments.map((segment) => segment.text.trim()).join(' ');
      if (form.get('response_format') !== 'verbose_json') return { text };
      return { task: 'transcribe', language: 'english', duration: round(measured.durationSeconds), text, segments };
    });
  });
}
