import { describe, expect, it } from 'vitest';
import { countWords, transcriptMetrics } from './transcript-metrics';

describe('countWords', () => {
  it('counts words, not punctuation, keeping contractions and hyphenated words whole', () => {
    expect(countWords("Hi — I'm calling about the follow-up, order #4521. Thanks!")).toBe(9);
    expect(countWords('  ')).toBe(0);
    expect(countWords('Grüße, ça va? 東京')).toBe(4);
  });
});

describe('transcriptMetrics', () => {
  const segments = [
    { speaker: 'agent', startSeconds: 0.5, endSeconds: 3.5, text: 'Thank you for calling Marcus Flowers.' },
    { speaker: 'customer', startSeconds: 4, endSeconds: 6, text: 'Hi, I need a bouquet.' },
    { speaker: 'agent', startSeconds: 6.5, endSeconds: 9.5, text: 'Of course, for which day?' },
  ];

  it('is null without a completed transcript', () => {
    expect(transcriptMetrics(undefined)).toBeNull();
    for (const status of ['unavailable', 'pending', 'failed']) expect(transcriptMetrics({ status, text: 'words here', segments })).toBeNull();
  });

  it('counts words per speaker and their rate over the time they spoke', () => {
    expect(transcriptMetrics({ status: 'completed', text: segments.map((s) => s.text).join(' '), segments })).toEqual({
      wordCount: 16,
      speakers: [
        // 6 + 5 words over 3 + 3 s
        { speaker: 'agent', wordCount: 11, speakingSeconds: 6, wordsPerMinute: 110 },
        { speaker: 'customer', wordCount: 5, speakingSeconds: 2, wordsPerMinute: 150 },
      ],
    });
  });

  it('falls back to the text when segments are missing or malformed', () => {
    expect(transcriptMetrics({ status: 'completed', text: 'one two three', segments: null })).toEqual({ wordCount: 3, speakers: null });
    expect(transcriptMetrics({ status: 'completed', text: 'one two', segments: [{ speaker: 'agent', text: 'x' }] })).toEqual({ wordCount: 2, speakers: null });
    expect(transcriptMetrics({ status: 'completed', text: null, segments: [] })).toEqual({ wordCount: 0, speakers: null });
  });

  it('has no rate for a speaker whose segments carry no time', () => {
    const metrics = transcriptMetrics({
      status: 'completed',
      text: null,
      segments: [{ speaker: 'speaker_0', startSeconds: 2, endSeconds: 2, text: 'hello there' }],
    });
    expect(metrics?.speakers).toEqual([{ speaker: 'speaker_0', wordCount: 2, speakingSeconds: 0, wordsPerMinute: null }]);
  });
});
