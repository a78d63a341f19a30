import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Deepgram's pre-recorded endpoint (`POST /v1/listen`) as callvault calls it: raw audio in the
 * body, `Authorization: Token <key>`, the JSON response Deepgram sends. The audio is only measured
 * (duration, channels), never recognised: the words are a fixed script laid over its duration, so
 * tests know exactly what comes back. The second utterance always carries a card number and an
 * SSN, which the transcriber must redact.
 */
export interface DeepgramApiOptions {
  apiKey: string;
}

export const DEEPGRAM_SIM_SCRIPT: readonly string[] = [
  'hello this is a test call from the callvault simulator',
  'my card is 4111 1111 1111 1111 and my ssn is 123-45-6789',
  'thank you I have noted that down',
  'can you confirm the appointment for friday morning',
  'yes friday at ten works for me',
  'great is there anything else I can help you with today',
  'no that is all thank you goodbye',
];

const UTTERANCE_SECONDS = 3.5;
const GAP_SECONDS = 0.5;
const MODEL_UUID = '1abfe86b-e047-4eed-858a-35e5625b41ee';

interface AudioFacts {
  durationSeconds: number;
  channels: number;
  sha256: string;
}

/** What the first bytes and the byte count say about the audio; undefined when it is neither WAV nor MP3. */
export function measureAudio(head: Buffer, totalBytes: number): Omit<AudioFacts, 'sha256'> | undefined {
  return measureWav(head, totalBytes) ?? measureMp3(head, totalBytes);
}

function measureWav(head: Buffer, totalBytes: number): Omit<AudioFacts, 'sha256'> | undefined {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  let channels = 0;
  let byteRate = 0;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 24 <= head.length) {
      channels = head.readUInt16LE(offset + 10);
      byteRate = head.readUInt32LE(offset + 16);
    }
    if (id === 'data') {
      if (!channels || !byteRate) return undefined;
      // Streamed WAVs may leave the size at 0 or 0xFFFFFFFF: trust the bytes that came instead.
      const received = totalBytes - (offset + 8);
      const dataBytes = size === 0 || size === 0xffffffff ? received : Math.min(size, received);
      return { durationSeconds: Math.max(0, dataBytes) / byteRate, channels };
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

const MP3_BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/** Constant-bitrate Layer III, as callvault's providers and the simulator produce: bytes ÷ bitrate. */
function measureMp3(head: Buffer, totalBytes: number): Omit<AudioFacts, 'sha256'> | undefined {
  let offset = 0;
  if (head.length >= 10 && head.toString('ascii', 0, 3) === 'ID3') {
    offset = 10 + (((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f));
  }
  for (; offset + 4 <= head.length; offset += 1) {
    if (head[offset] !== 0xff || (head[offset + 1]! & 0xe0) !== 0xe0) continue;
    const version = (head[offset + 1]! >> 3) & 0x03; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    const layer = (head[offset + 1]! >> 1) & 0x03; // 1: Layer III
    const bitrateIndex = head[offset + 2]! >> 4;
    if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15) continue;
    const kbps = (version === 3 ? MP3_BITRATES_V1_L3 : MP3_BITRATES_V2_L3)[bitrateIndex]!;
    const channels = head[offset + 3]! >> 6 === 3 ? 1 : 2;
    return { durationSeconds: ((totalBytes - offset) * 8) / (kbps * 1000), channels };
  }
  return undefined;
}

interface Utterance {
  start: number;
  end: number;
  channel: number;
  speaker: number;
  transcript: string;
}

/** The script, turn by turn across the audio, alternating parties; only turns that fit are kept. */
function scriptedUtterances(durationSeconds: number): Utterance[] {
  const utterances: Utterance[] = [];
  for (let index = 0; ; index += 1) {
    const start = GAP_SECONDS + index * (UTTERANCE_SECONDS + GAP_SECONDS);
    const end = start + UTTERANCE_SECONDS;
    if (end > durationSeconds) break;
    const party = index % 2;
    utterances.push({ start, end, channel: party, speaker: party, transcript: DEEPGRAM_SIM_SCRIPT[index % DEEPGRAM_SIM_SCRIPT.length]! });
  }
  return utterances;
}

function wordsOf(utterance: Utterance, withSpeaker: boolean) {
  const words = utterance.transcript.split(' ');
  const step = (utterance.end - utterance.start) / words.length;
  return words.map((word, index) => ({
    word: word.toLowerCase(),
    start: round(utterance.start + index * step),
    end: round(utterance.start + (index + 1) * step),
    confidence: 0.98,
    punctuated_word: word,
    ...(withSpeaker ? { speaker: utterance.speaker, speaker_confidence: 0.9 } : {}),
  }));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function flag(query: Record<string, string | undefined>, name: string): boolean {
  return query[name] === 'true';
}

/** Deepgram's documented response: metadata, one entry per channel (multichannel) and the utterances. */
export function deepgramResponse(audio: AudioFacts, query: Record<string, string | undefined>) {
  const multichannel = flag(query, 'multichannel') && audio.channels > 1;
  const diarize = flag(query, 'diarize');
  const channelCount = multichannel ? audio.channels : 1;
  const utterances = scriptedUtterances(audio.durationSeconds).map((utterance) => (multichannel ? utterance : { ...utterance, channel: 0 }));
  const requestId = randomUUID();
  const channels = Array.from({ length: channelCount }, (_, channel) => {
    const own = utterances.filter((utterance) => utterance.channel === channel);
    return {
      ...(flag(query, 'detect_language') ? { detected_language: 'en', language_confidence: 0.99 } : {}),
      alternatives: [
        {
          transcript: own.map((utterance) => utterance.transcript).join(' '),
          confidence: own.length > 0 ? 0.98 : 0,
          words: own.flatMap((utterance) => wordsOf(utterance, diarize)),
        },
      ],
    };
  });
  return {
    metadata: {
      transaction_key: 'deprecated',
      request_id: requestId,
      sha256: audio.sha256,
      created: new Date().toISOString(),
      duration: round(audio.durationSeconds),
      channels: channelCount,
      models: [MODEL_UUID],
      model_info: { [MODEL_UUID]: { name: `general-${query.model ?? 'base'}`, version: '2025-01-01.0', arch: query.model ?? 'base' } },
    },
    results: {
      channels,
      ...(flag(query, 'utterances')
        ? {
            utterances: utterances.map((utterance) => ({
              start: utterance.start,
              end: utterance.end,
              confidence: 0.98,
              channel: utterance.channel,
              transcript: utterance.transcript,
              words: wordsOf(utterance, diarize),
              ...(diarize ? { speaker: utterance.speaker } : {}),
              id: randomUUID(),
            })),
          }
        : {}),
    },
  };
}

const HEAD_BYTES = 64 * 1024;

function deepgramError(reply: FastifyReply, status: number, errCode: string, errMsg: string) {
  return reply.code(status).send({ err_code: errCode, err_msg: errMsg, request_id: randomUUID() });
}

export function registerDeepgramApi(app: FastifyInstance, options: DeepgramApiOptions): void {
  // Encapsulated: the audio parser exists only for this route, never for the rest of the simulator.
  void app.register(async (scope) => {
    // Streams the body through, keeping only the head (for the format) and a hash: recordings can be large.
    scope.addContentTypeParser(/^(audio\/|application\/octet-stream)/, (_request, payload, done) => {
      const head: Buffer[] = [];
      let headBytes = 0;
      let totalBytes = 0;
      const hash = createHash('sha256');
      payload.on('data', (chunk: Buffer) => {
        totalBytes += chunk.length;
        hash.update(chunk);
        if (headBytes < HEAD_BYTES) {
          head.push(chunk.subarray(0, HEAD_BYTES - headBytes));
          headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes);
        }
      });
      payload.on('error', (error) => done(error, undefined));
      payload.on('end', () => done(null, { head: Buffer.concat(head), totalBytes, sha256: hash.digest('hex') }));
    });

    scope.post('/v1/listen', async (request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply) => {
      if (request.headers.authorization !== `Token ${options.apiKey}`) {
        return deepgramError(reply, 401, 'INVALID_AUTH', 'Invalid credentials.');
      }
      const body = request.body as { head: Buffer; totalBytes: number; sha256: string } | undefined;
      if (!body || body.totalBytes === 0) return deepgramError(reply, 400, 'Bad Request', 'Bad Request: failed to process audio: corrupt or unsupported data');
      const measured = measureAudio(body.head, body.totalBytes);
      if (!measured) return deepgramError(reply, 400, 'Bad Request', 'Bad Request: failed to process audio: corrupt or unsupported data');
      return reply.send(deepgramResponse({ ...measured, sha256: body.sha256 }, request.query));
    });
  });
}
