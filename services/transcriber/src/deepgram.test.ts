import { describe, expect, it } from 'vitest';
import { deepgramListenUrl, parseDeepgramResponse } from './deepgram';
import { SpeechToTextError } from './speech-to-text';

/** Shaped like Deepgram's documented pre-recorded response (multichannel + utterances + detect_language). */
const MULTICHANNEL = {
  metadata: {
    transaction_key: 'deprecated',
    request_id: '0d2d8a8e-62a6-4f8e-9d0f-3b1f0e7f1c11',
    sha256: 'f4c1',
    created: '2026-09-01T14:05:00.000Z',
    duration: 10.2,
    channels: 2,
    models: ['1abfe86b-e047-4eed-858a-35e5625b41ee'],
  },
  results: {
    channels: [
      {
        detected_language: 'en',
        language_confidence: 0.98,
        alternatives: [{ transcript: 'thank you for calling marcus flowers how can I help', confidence: 0.98, words: [] }],
      },
      {
        detected_language: 'en',
        alternatives: [{ transcript: "hello I'd like to order flowers", confidence: 0.99, words: [] }],
      },
    ],
    utterances: [
      { start: 0.94, end: 3.1, confidence: 0.98, channel: 0, transcript: 'Thank you for calling Marcus Flowers.', words: [], id: 'a' },
      { start: 6.5, end: 8.0, confidence: 0.98, channel: 0, transcript: 'How can I help?', words: [], id: 'b' },
      { start: 4.01, end: 6.2, confidence: 0.99, channel: 1, transcript: "Hello, I'd like to order flowers.", words: [], id: 'c' },
      { start: 8.2, end: 8.4, confidence: 0.5, channel: 1, transcript: '  ', words: [], id: 'd' },
    ],
  },
};

describe('parseDeepgramResponse', () => {
  it('turns multichannel utterances into agent/customer segments in time order', () => {
    expect(parseDeepgramResponse(MULTICHANNEL)).toEqual({
      language: 'en',
      text: "Thank you for calling Marcus Flowers.\nHello, I'd like to order flowers.\nHow can I help?",
      segments: [
        { speaker: 'agent', startSeconds: 0.94, endSeconds: 3.1, text: 'Thank you for calling Marcus Flowers.' },
        { speaker: 'customer', startSeconds: 4.01, endSeconds: 6.2, text: "Hello, I'd like to order flowers." },
        { speaker: 'agent', startSeconds: 6.5, endSeconds: 8.0, text: 'How can I help?' },
      ],
    });
  });

  it('labels diarized speakers of a mono recording by number', () => {
    const mono = {
      metadata: { channels: 1 },
      results: {
        channels: [{ alternatives: [{ transcript: 'hi there hello' }] }],
        utterances: [
          { start: 0.5, end: 1.2, channel: 0, speaker: 0, transcript: 'Hi there.' },
          { start: 1.5, end: 2.0, channel: 0, speaker: 1, transcript: 'Hello.' },
          { start: 2.5, end: 3.0, channel: 0, transcript: 'Who?' },
        ],
      },
    };
    expect(parseDeepgramResponse(mono)).toEqual({
      language: null,
      text: 'Hi there.\nHello.\nWho?',
      segments: [
        { speaker: 'speaker_0', startSeconds: 0.5, endSeconds: 1.2, text: 'Hi there.' },
        { speaker: 'speaker_1', startSeconds: 1.5, endSeconds: 2.0, text: 'Hello.' },
        { speaker: 'unknown', startSeconds: 2.5, endSeconds: 3.0, text: 'Who?' },
      ],
    });
  });

  it('falls back to the channel transcripts when there are no utterances', () => {
    const { utterances: _utterances, ...results } = MULTICHANNEL.results;
    expect(parseDeepgramResponse({ ...MULTICHANNEL, results })).toEqual({
      language: 'en',
      text: "thank you for calling marcus flowers how can I help\nhello I'd like to order flowers",
      segments: [],
    });
  });

  it('returns an empty transcript for silence', () => {
    expect(parseDeepgramResponse({ metadata: {}, results: { channels: [{ alternatives: [{ transcript: '' }] }], utterances: [] } })).toEqual({
      language: null,
      text: '',
      segments: [],
    });
  });

  it('refuses a body that is not a Deepgram response, as a permanent error', () => {
    for (const body of [null, {}, { results: { utterances: [{ start: 'x' }] } }, 'text']) {
      let caught: unknown;
      try {
        parseDeepgramResponse(body);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SpeechToTextError);
      expect((caught as SpeechToTextError).retryable).toBe(false);
    }
  });
});

describe('deepgramListenUrl', () => {
  it('asks for separate channels for a dual-channel recording and diarization for a mono one', () => {
    const stereo = new URL(deepgramListenUrl('https://api.deepgram.com/', { channels: 2 }));
    expect(stereo.origin + stereo.pathname).toBe('https://api.deepgram.com/v1/listen');
    expect(Object.fromEntries(stereo.searchParams)).toEqual({
      model: 'nova-3',
      punctuate: 'true',
      smart_format: 'true',
      utterances: 'true',
      detect_language: 'true',
      multichannel: 'true',
    });
    const mono = new URL(deepgramListenUrl('http://127.0.0.1:3010', { channels: 1, model: 'nova-2-phonecall' }));
    expect(mono.searchParams.get('diarize')).toBe('true');
    expect(mono.searchParams.get('multichannel')).toBeNull();
    expect(mono.searchParams.get('model')).toBe('nova-2-phonecall');
    const unknown = new URL(deepgramListenUrl('http://127.0.0.1:3010', { channels: null }));
    expect([unknown.searchParams.get('multichannel'), unknown.searchParams.get('diarize')]).toEqual(['true', 'true']);
  });
});
