import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { transcriptFromVapiReport } from './vapi-transcript';

const VAPI_REPORT = JSON.parse(readFileSync(new URL('../../../testing/fixtures/vapi/end-of-call-report.json', import.meta.url), 'utf8')) as {
  message: Record<string, unknown> & { artifact: Record<string, unknown> & { messages: Array<Record<string, unknown>> } };
};

function withMessage(changes: { messages?: unknown; transcript?: unknown; assistant?: unknown }) {
  const { messages, transcript, assistant } = changes;
  return {
    message: {
      ...VAPI_REPORT.message,
      ...(assistant !== undefined ? { assistant } : {}),
      artifact: { ...VAPI_REPORT.message.artifact, ...(messages !== undefined ? { messages } : {}), ...(transcript !== undefined ? { transcript } : {}) },
    },
  };
}

describe('transcriptFromVapiReport', () => {
  it('maps bot turns to the agent and user turns to the customer, skipping the system prompt', () => {
    expect(transcriptFromVapiReport(VAPI_REPORT)).toEqual({
      language: null,
      text: [
        'Hi, this is Ava from Acme Dental. Am I speaking with Jordan?',
        'Yes, this is Jordan.',
        "Great. I'm calling to confirm your cleaning on Thursday at 10 AM. Does that still work?",
        'Actually, can we move it to Friday?',
        "Sure, I've moved you to Friday at 10 AM. Have a great day!",
      ].join('\n'),
      segments: [
        { speaker: 'agent', startSeconds: 1.24, endSeconds: 4.52, text: 'Hi, this is Ava from Acme Dental. Am I speaking with Jordan?' },
        { speaker: 'customer', startSeconds: 5.398, endSeconds: 6.478, text: 'Yes, this is Jordan.' },
        {
          speaker: 'agent',
          startSeconds: 7.308,
          endSeconds: 12.048,
          text: "Great. I'm calling to confirm your cleaning on Thursday at 10 AM. Does that still work?",
        },
        { speaker: 'customer', startSeconds: 13.693, endSeconds: 15.613, text: 'Actually, can we move it to Friday?' },
        { speaker: 'agent', startSeconds: 18.568, endSeconds: 22.888, text: "Sure, I've moved you to Friday at 10 AM. Have a great day!" },
      ],
    });
  });

  it('skips tool calls, empty turns and malformed entries; uses time/endTime when duration is missing', () => {
    const draft = transcriptFromVapiReport(
      withMessage({
        messages: [
          { role: 'tool_calls', message: '', toolCalls: [{ id: 't1' }], secondsFromStart: 2 },
          { role: 'tool_call_result', result: 'ok', secondsFromStart: 3 },
          { role: 'user', message: '   ', secondsFromStart: 4, duration: 100 },
          { role: 'bot', message: 42 },
          'not an object',
          { role: 'user', message: 'Later turn', secondsFromStart: 9, time: 1000, endTime: 2500 },
          { role: 'bot', message: 'Earlier turn', secondsFromStart: 5 },
        ],
      }),
    );
    expect(draft?.segments).toEqual([
      { speaker: 'agent', startSeconds: 5, endSeconds: 5, text: 'Earlier turn' },
      { speaker: 'customer', startSeconds: 9, endSeconds: 10.5, text: 'Later turn' },
    ]);
    expect(draft?.text).toBe('Earlier turn\nLater turn');
  });

  it('falls back to the plain transcript without segments when there are no messages', () => {
    expect(transcriptFromVapiReport(withMessage({ messages: [] }))).toEqual({
      language: null,
      text: (VAPI_REPORT.message.artifact.transcript as string).trim(),
      segments: [],
    });
  });

  it('takes the configured transcriber language when it names one', () => {
    expect(transcriptFromVapiReport(withMessage({ assistant: { transcriber: { provider: 'deepgram', language: 'en-US' } } }))?.language).toBe('en-US');
    expect(transcriptFromVapiReport(withMessage({ assistant: { transcriber: { provider: 'deepgram', language: 'multi' } } }))?.language).toBeNull();
  });

  it('has nothing to offer for a report without a transcript, or for another message type', () => {
    expect(transcriptFromVapiReport(withMessage({ messages: [], transcript: '' }))).toBeUndefined();
    expect(transcriptFromVapiReport({ message: { ...VAPI_REPORT.message, type: 'status-update' } })).toBeUndefined();
    expect(transcriptFromVapiReport({ nothing: true })).toBeUndefined();
  });
});
