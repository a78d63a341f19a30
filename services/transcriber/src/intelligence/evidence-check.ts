import type { ModelAnalysis } from './call-analysis-schema';

export interface TranscriptTurn {
  speaker: string;
  startSeconds: number;
  text: string;
}

export interface CheckedAnswer {
  questionId: string;
  question: string;
  answer: 'yes' | 'no' | 'not_applicable';
  evidence: Array<{ quote: string; atSeconds: number; speaker: string }>;
  /** What the model answered when none of its quotes occur in the transcript (the answer then became not_applicable). */
  unsupportedAnswer?: 'yes' | 'no';
}

/** Shorter than this, a "quote" matches almost any call ("yes", "okay then") and proves nothing. */
const MIN_QUOTE_CHARACTERS = 12;

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Where a quote occurs in the transcript: the turn it starts in. The time is ours, not the
 * model's: a quote that occurs is placed where it was said.
 */
export function locateQuote(quote: string, turns: TranscriptTurn[]): TranscriptTurn | undefined {
  const wanted = normalise(quote);
  if (wanted.length < MIN_QUOTE_CHARACTERS) return undefined;
  const own = turns.find((turn) => normalise(turn.text).includes(wanted));
  if (own) return own;
  // A quote across consecutive turns of the same speaker, as transcribers split long sentences.
  for (let first = 0; first < turns.length; first += 1) {
    let joined = '';
    for (let last = first; last < turns.length && turns[last]!.speaker === turns[first]!.speaker; last += 1) {
      joined = `${joined} ${normalise(turns[last]!.text)}`.trim();
      if (last > first && joined.includes(wanted)) return turns[first];
    }
  }
  return undefined;
}

/**
 * The evidence rule: a quote that does not occur in the transcript is dropped, and a yes or no left
 * without any quote cannot stand: it becomes not_applicable, and the model's claim is kept beside
 * it for whoever reviews. So no instruction in a caller's words can make a yes the transcript does
 * not support. Answers to questions the company did not ask are ignored; unanswered ones are
 * not_applicable.
 */
export function checkScorecard(
  answers: ModelAnalysis['scorecard'],
  questions: ReadonlyArray<{ id: string; text: string }>,
  turns: TranscriptTurn[],
): { scorecard: CheckedAnswer[]; droppedQuotes: number } {
  let droppedQuotes = 0;
  const scorecard = questions.map((question): CheckedAnswer => {
    const given = answers.find((answer) => answer.questionId === question.id);
    if (!given) return { questionId: question.id, question: question.text, answer: 'not_applicable', evidence: [] };
    const evidence = given.evidence.flatMap((item) => {
      const turn = locateQuote(item.quote, turns);
      if (!turn) droppedQuotes += 1;
      return turn ? [{ quote: item.quote, atSeconds: turn.startSeconds, speaker: turn.speaker }] : [];
    });
    if (given.answer !== 'not_applicable' && evidence.length === 0) {
      return { questionId: question.id, question: question.text, answer: 'not_applicable', evidence, unsupportedAnswer: given.answer };
    }
    return { questionId: question.id, question: question.text, answer: given.answer, evidence };
  });
  return { scorecard, droppedQuotes };
}
