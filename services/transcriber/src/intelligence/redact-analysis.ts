import type { RedactText } from '@callvault/redaction';
import type { CompletedAnalysis } from './analyze-transcript';

/**
 * The model retells the call in its own words, and may write out what the redacted transcript
 * only hinted at (a number read out as words, retold as digits): every free-text field it wrote is
 * redacted like a transcript before it is stored. Answers and sentiments are fixed words; the
 * scorecard questions are the company's own.
 */
export function redactAnalysis(analysis: CompletedAnalysis, redactText: RedactText): CompletedAnalysis {
  const clean = (text: string) => redactText(text).text;
  const cleanOrNull = (text: string | null) => (text === null ? null : clean(text));
  return {
    ...analysis,
    summary: clean(analysis.summary),
    topics: analysis.topics.map(clean),
    actionItems: analysis.actionItems.map((item) => ({
      ...item,
      description: clean(item.description),
      owner: cleanOrNull(item.owner),
      dueDate: cleanOrNull(item.dueDate),
    })),
    sentiment: analysis.sentiment.map((entry) => ({ ...entry, speaker: clean(entry.speaker) })),
    scorecard: analysis.scorecard.map((answer) => ({ ...answer, evidence: answer.evidence.map((quote) => ({ ...quote, quote: clean(quote.quote) })) })),
  };
}
