import type { Call } from '@callvault/db';

export type ProviderCallFacts = Pick<Call, 'provider' | 'ended_reason' | 'cost' | 'summary' | 'success_evaluation'>;

export interface ProviderMetrics {
  provider: 'twilio' | 'vapi';
  endedReason: string | null;
  cost: number | null;
  summary: string | null;
  successEvaluation: string | null;
}

/** What the provider itself said about the call (VAPI's end-of-call report); null when it said nothing. */
export function providerMetrics(call: ProviderCallFacts | undefined): ProviderMetrics | null {
  if (!call) return null;
  const facts = { endedReason: call.ended_reason, cost: call.cost, summary: call.summary, successEvaluation: call.success_evaluation };
  if (Object.values(facts).every((value) => value === null)) return null;
  return { provider: call.provider, ...facts };
}
