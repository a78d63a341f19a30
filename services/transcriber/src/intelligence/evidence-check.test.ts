import { describe, expect, it } from 'vitest';
import { checkScorecard, locateQuote } from './evidence-check';

const turns = [
  { speaker: 'agent', startSeconds: 1, text: 'Your appointment is confirmed for Friday,' },
  { speaker: 'agent', startSeconds: 3, text: 'at ten in the morning.' },
  { speaker: 'customer', startSeconds: 6, text: 'Yes. Thanks!' },
];

describe('the evidence rule', () => {
  it('finds a quote regardless of case and punctuation, across turns of one speaker, at the time it was said', () => {
    expect(locateQuote('your APPOINTMENT is confirmed for friday', turns)?.startSeconds).toBe(1);
    expect(locateQuote('confirmed for Friday at ten in the morning', turns)?.startSeconds).toBe(1);
    expect(locateQuote('confirmed for Saturday', turns)).toBeUndefined();
  });

  it('treats quotes too short to prove anything as absent', () => {
    expect(locateQuote('Yes.', turns)).toBeUndefined();
  });

  it('turns a yes or no without a quote from the call into not_applicable, keeping the claim', () => {
    const { scorecard, droppedQuotes } = checkScorecard(
      [
        { questionId: 'a', answer: 'yes', evidence: [{ quote: 'the agent promised a refund', atSeconds: 2 }] },
        { questionId: 'b', answer: 'no', evidence: [{ quote: 'at ten in the morning', atSeconds: 99 }] },
        { questionId: 'ignored', answer: 'yes', evidence: [] },
      ],
      [
        { id: 'a', text: 'Refund offered?' },
        { id: 'b', text: 'Time confirmed?' },
        { id: 'c', text: 'Unanswered?' },
      ],
      turns,
    );
    expect(droppedQuotes).toBe(1);
    expect(scorecard).toEqual([
      { questionId: 'a', question: 'Refund offered?', answer: 'not_applicable', evidence: [], unsupportedAnswer: 'yes' },
      { questionId: 'b', question: 'Time confirmed?', answer: 'no', evidence: [{ quote: 'at ten in the morning', atSeconds: 3, speaker: 'agent' }] },
      { questionId: 'c', question: 'Unanswered?', answer: 'not_applicable', evidence: [] },
    ]);
  });
});
