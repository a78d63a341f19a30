import { z } from 'zod';
import type { ProviderTranscriptFacts } from '@callvault/db';

export type TranscriptSegment = ProviderTranscriptFacts['segments'][number];
export type TranscriptDraft = Pick<ProviderTranscriptFacts, 'language' | 'text' | 'segments'>;

/**
 * The transcript VAPI made of a call, read from its end-of-call-report when the event's effects
 * are applied. Parsed leniently: a field we do not use never makes a transcript fail.
 */

const ROLE_SPEAKERS: Record<string, string> = { bot: 'agent', assistant: 'agent', user: 'customer' };

const vapiMessageSchema = z.object({
  role: z.string(),
  message: z.string().optional(),
  secondsFromStart: z.number().nonnegative().optional(),
  // Milliseconds in real payloads.
  duration: z.number().nonnegative().optional(),
  time: z.number().optional(),
  endTime: z.number().optional(),
});

const vapiReportSchema = z.object({
  message: z.object({
    type: z.literal('end-of-call-report'),
    artifact: z
      .object({
        messages: z.array(z.unknown()).optional(),
        transcript: z.string().optional(),
      })
      .optional(),
    assistant: z.object({ transcriber: z.object({ language: z.string().optional() }).optional() }).optional(),
  }),
});

/** The configured transcriber language, when it names one ("multi" detects per utterance: unknown). */
function vapiLanguage(report: z.infer<typeof vapiReportSchema>): string | null {
  const language = report.message.assistant?.transcriber?.language;
  return language && language !== 'multi' ? language : null;
}

/**
 * VAPI's `artifact.messages`: bot turns are the agent, user turns the customer; system prompts and
 * tool calls are not speech. Falls back to the plain `artifact.transcript` (no segments).
 * Undefined when the report carries no transcript at all.
 */
export function transcriptFromVapiReport(payload: unknown): TranscriptDraft | undefined {
  const parsed = vapiReportSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const artifact = parsed.data.message.artifact;
  const segments: TranscriptSegment[] = [];
  for (const raw of artifact?.messages ?? []) {
    const message = vapiMessageSchema.safeParse(raw);
    if (!message.success) continue;
    const speaker = ROLE_SPEAKERS[message.data.role];
    const text = message.data.message?.trim();
    if (!speaker || !text) continue;
    const start = message.data.secondsFromStart ?? 0;
    const durationMs =
      message.data.duration ??
      (message.data.time !== undefined && message.data.endTime !== undefined ? Math.max(0, message.data.endTime - message.data.time) : 0);
    segments.push({ speaker, startSeconds: round(start), endSeconds: round(start + durationMs / 1000), text });
  }
  if (segments.length > 0) {
    segments.sort((a, b) => a.startSeconds - b.startSeconds);
    return { language: vapiLanguage(parsed.data), text: segments.map((segment) => segment.text).join('\n'), segments };
  }
  const transcript = artifact?.transcript?.trim();
  return transcript ? { language: vapiLanguage(parsed.data), text: transcript, segments: [] } : undefined;
}

/** Millisecond precision: float sums like 1.24 + 3.28 should not store as 4.5200000000000005. */
function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
