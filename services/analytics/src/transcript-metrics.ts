import { z } from 'zod';

export interface TranscriptSource {
  status: string;
  text: string | null;
  /** jsonb as stored: checked here, not trusted. */
  segments: unknown;
}

export interface SpeakerMetrics {
  /** The transcript's label for the speaker (`agent`, `customer`, `speaker_0`, ...). */
  speaker: string;
  wordCount: number;
  /** Sum of the speaker's segment lengths. */
  speakingSeconds: number;
  /** Words over speaking time; null when the segments carry no time. */
  wordsPerMinute: number | null;
}

export interface TranscriptMetrics {
  wordCount: number;
  /** Per speaker in order of first appearance; null when the transcript has no usable segments. */
  speakers: SpeakerMetrics[] | null;
}

const segmentsSchema = z.array(z.object({ speaker: z.string(), startSeconds: z.number(), endSeconds: z.number(), text: z.string() }));

// A word is a run of letters or digits, with inner apostrophes and hyphens ("don't", "follow-up"):
// punctuation and symbols on their own do not count.
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/**
 * Word counts and speaking rates from a completed transcript; null when there is none (missing,
 * pending, unavailable or failed). With segments, the total is their sum, so it always matches
 * the per-speaker figures; without, it comes from the text.
 */
export function transcriptMetrics(transcript: TranscriptSource | undefined): TranscriptMetrics | null {
  if (transcript?.status !== 'completed') return null;
  const parsed = segmentsSchema.safeParse(transcript.segments);
  if (!parsed.success || parsed.data.length === 0) return { wordCount: countWords(transcript.text ?? ''), speakers: null };

  const bySpeaker = new Map<string, { words: number; seconds: number }>();
  for (const segment of parsed.data) {
    const totals = bySpeaker.get(segment.speaker) ?? { words: 0, seconds: 0 };
    totals.words += countWords(segment.text);
    totals.seconds += Math.max(0, segment.endSeconds - segment.startSeconds);
    bySpeaker.set(segment.speaker, totals);
  }
  const speakers = [...bySpeaker].map(([speaker, { words, seconds }]) => ({
    speaker,
    wordCount: words,
    speakingSeconds: Math.round(seconds * 100) / 100,
    wordsPerMinute: seconds > 0 ? Math.round((words / seconds) * 60 * 10) / 10 : null,
  }));
  return { wordCount: speakers.reduce((sum, speaker) => sum + speaker.wordCount, 0), speakers };
}
