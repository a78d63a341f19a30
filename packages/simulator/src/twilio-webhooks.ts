import { encodeForm, signTwilioForm } from './twilio-signing';

export interface TwilioDelivery {
  /** The ingest's public base URL as configured at "Twilio" (what gets signed). */
  publicBaseUrl: string;
  /** Where the request is actually sent (differs behind a proxy; usually the same). */
  targetBaseUrl?: string;
  path: string;
  authToken: string;
  params: Record<string, string>;
  /** Fault injection: sign with another token, alter a field after signing, or omit the header. */
  tamper?: 'wrong-token' | 'altered-body' | 'no-signature' | 'wrong-url';
  idempotencyToken?: string;
  /** More request headers, as a proxy in front of ingest adds them (X-Request-Id, traceparent). */
  headers?: Record<string, string>;
}

/** Posts one Twilio callback, signed over the public URL + sorted fields. Returns the status code. */
export async function deliverTwilioWebhook(delivery: TwilioDelivery): Promise<{ status: number; body: string }> {
  const signedUrl = `${delivery.tamper === 'wrong-url' ? 'https://elsewhere.example.com' : delivery.publicBaseUrl}${delivery.path}`;
  const token = delivery.tamper === 'wrong-token' ? `${delivery.authToken}x` : delivery.authToken;
  const signature = signTwilioForm(token, signedUrl, delivery.params);
  const sentParams = delivery.tamper === 'altered-body' ? { ...delivery.params, RecordingDuration: '999' } : delivery.params;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TwilioProxy/1.1' };
  if (delivery.tamper !== 'no-signature') headers['x-twilio-signature'] = signature;
  if (delivery.idempotencyToken) headers['i-twilio-idempotency-token'] = delivery.idempotencyToken;
  Object.assign(headers, delivery.headers);
  const response = await fetch(`${delivery.targetBaseUrl ?? delivery.publicBaseUrl}${delivery.path}`, {
    method: 'POST',
    headers,
    body: encodeForm(sentParams),
  });
  return { status: response.status, body: await response.text() };
}
