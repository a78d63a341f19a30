import { describe, expect, it } from 'vitest';
import { redactWith } from '@callvault/redaction';
import type { CompletedAnalysis } from './analyze-transcript';
import { redactAnalysis } from './redact-analysis';

const MRN = '[REDACTED MRN]';

describe('redactAnalysis', () => {
  it("redacts every field the model wrote in its own words and keeps the fixed ones and the company's questions", () => {
    const analysis: CompletedAnalysis = {
      summary: 'Chart MRN-123456 rebooked.',
      topics: ['MRN-123456'],
      actionItems: [{ description: 'Call MRN-123456 back', owner: 'Dr MRN-123456', dueDate: null }],
      sentiment: [{ speaker: 'MRN-123456', sentiment: 'neutral' }],
      scorecard: [
        {
          questionId: 'chart',
          question: 'Did the agent read back MRN-000000 style numbers?',
          answer: 'yes',
          evidence: [{ quote: 'your chart is MRN-123456', atSeconds: 1, speaker: 'agent' }],
        },
      ],
      droppedQuotes: 0,
      repaired: false,
    };

    const redacted = redactAnalysis(analysis, redactWith([{ source: 'MRN-\\d{6}', placeholder: MRN }]));

    expect(redacted).toEqual({
      ...analysis,
      summary: `Chart ${MRN} rebooked.`,
      topics: [MRN],
      actionItems: [{ description: `Call ${MRN} back`, owner: `Dr ${MRN}`, dueDate: null }],
      sentiment: [{ speaker: MRN, sentiment: 'neutral' }],
      scorecard: [{ ...analysis.scorecard[0]!, evidence: [{ quote: `your chart is ${MRN}`, atSeconds: 1, speaker: 'agent' }] }],
    });
  });
});
