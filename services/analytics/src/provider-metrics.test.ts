import { describe, expect, it } from 'vitest';
import { providerMetrics } from './provider-metrics';

describe('providerMetrics', () => {
  it('carries what VAPI reported at the end of the call', () => {
    expect(
      providerMetrics({ provider: 'vapi', ended_reason: 'customer-ended-call', cost: 0.1234, summary: 'Booked a cleaning.', success_evaluation: 'true' }),
    ).toEqual({ provider: 'vapi', endedReason: 'customer-ended-call', cost: 0.1234, summary: 'Booked a cleaning.', successEvaluation: 'true' });
  });

  it('keeps the facts present and nulls the rest', () => {
    expect(providerMetrics({ provider: 'vapi', ended_reason: 'silence-timed-out', cost: null, summary: null, success_evaluation: null })).toEqual({
      provider: 'vapi',
      endedReason: 'silence-timed-out',
      cost: null,
      summary: null,
      successEvaluation: null,
    });
  });

  it('is null when the provider reported nothing (a Twilio call) or the call is unknown', () => {
    expect(providerMetrics({ provider: 'twilio', ended_reason: null, cost: null, summary: null, success_evaluation: null })).toBeNull();
    expect(providerMetrics(undefined)).toBeNull();
  });
});
