import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactProviderPayload } from './payload-redaction';

const fixture = (name: string) => readFileSync(new URL(`../../testing/fixtures/${name}`, import.meta.url), 'utf8');

describe('redactProviderPayload', () => {
  it('keeps Twilio ids, statuses and times and redacts the transcription text and numbers', () => {
    const params = Object.fromEntries(new URLSearchParams(fixture('twilio/transcription-completed.form')));
    const redacted = redactProviderPayload('twilio', params);
    expect(redacted.TranscriptionSid).toBe(params.TranscriptionSid);
    expect(redacted.CallSid).toBe(params.CallSid);
    expect(redacted.AccountSid).toBe(params.AccountSid);
    expect(redacted.TranscriptionStatus).toBe('completed');
    expect(redacted.TranscriptionText).toBe(REDACTED);
    expect(redacted.From).toBe(REDACTED);
    expect(JSON.stringify(redacted)).not.toMatch(/Jordan|appointment|4155550123/);
  });

  it('keeps VAPI ids, statuses and costs and leaves nothing of the transcript, analysis or customer', () => {
    const body = JSON.parse(fixture('vapi/end-of-call-report.json'));
    const redacted = redactProviderPayload('vapi', body) as {
      message: { type: string; call: { id: string; orgId: string; cost: number }; artifact?: unknown; analysis?: unknown };
    };
    expect(redacted.message.type).toBe('end-of-call-report');
    expect(redacted.message.call.id).toBe(body.message.call.id);
    expect(redacted.message.call.orgId).toBe(body.message.call.orgId);
    expect(redacted.message.call.cost).toBe(body.message.call.cost);
    expect(redacted.message.artifact).toBeUndefined();
    expect(redacted.message.analysis).toBeUndefined();
    const text = JSON.stringify(redacted);
    for (const word of ['Jordan', 'Ava', 'cleaning', '5550123456', 'storage.vapi.ai', 'tnt_42', 'job-8812']) expect(text).not.toContain(word);
  });

  it('is idempotent', () => {
    const body = JSON.parse(fixture('vapi/end-of-call-report.json'));
    const once = redactProviderPayload('vapi', body);
    expect(redactProviderPayload('vapi', once)).toEqual(once);
  });
});
