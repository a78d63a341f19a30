import { createHmac } from 'node:crypto';

export type VapiCredential =
  | { kind: 'secret'; secret: string }
  | { kind: 'bearer'; secret: string }
  | { kind: 'hmac'; key: string; timestampUnit?: 's' | 'ms'; skewMs?: number }
  | { kind: 'none' };

/** Posts a VAPI server message the way VAPI sends it, authenticated as the org configured it. */
export async function deliverVapiWebhook(input: {
  url: string;
  body: unknown;
  credential: VapiCredential;
  alterAfterSigning?: boolean;
}): Promise<{ status: number; body: string }> {
  const raw = JSON.stringify(input.body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const credential = input.credential;
  if (credential.kind === 'secret') headers['x-vapi-secret'] = credential.secret;
  if (credential.kind === 'bearer') headers.authorization = `Bearer ${credential.secret}`;
  if (credential.kind === 'hmac') {
    const now = Date.now() + (credential.skewMs ?? 0);
    const timestamp = credential.timestampUnit === 's' ? String(Math.floor(now / 1000)) : String(now);
    headers['x-timestamp'] = timestamp;
    headers['x-signature'] = createHmac('sha256', credential.key).update(`${timestamp}.${raw}`).digest('hex');
  }
  // Still valid JSON, different bytes: the signature must no longer match.
  const sent = input.alterAfterSigning ? `${raw} ` : raw;
  const response = await fetch(input.url, { method: 'POST', headers, body: sent });
  return { status: response.status, body: await response.text() };
}
