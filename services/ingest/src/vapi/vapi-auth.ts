import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VapiSecrets } from '@callvault/db';

export const HMAC_SKEW_MS = 5 * 60 * 1000;

function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** x-timestamp arrives in seconds or milliseconds (VAPI does not document which): accept both. */
export function timestampToMs(value: string): number | undefined {
  if (!/^\d{9,14}$/.test(value)) return undefined;
  const number = Number(value);
  return number < 1e12 ? number * 1000 : number;
}

export interface VapiAuthHeaders {
  secret: string | undefined;
  bearer: string | undefined;
  signature: string | undefined;
  timestamp: string | undefined;
}

/**
 * One org's credential check over the raw body bytes: the shared secret (X-Vapi-Secret or
 * Bearer) or HMAC-SHA256 of `{timestamp}.{rawBody}` within ±5 minutes. All comparisons run in
 * constant time; an org with no credential configured authenticates nothing.
 */
export function isAuthenticVapiRequest(secrets: VapiSecrets, headers: VapiAuthHeaders, rawBody: Buffer, now = Date.now()): boolean {
  let authentic = false;
  if (secrets.webhookSecret) {
    const expected = Buffer.from(secrets.webhookSecret);
    for (const candidate of [headers.secret, headers.bearer]) {
      if (candidate !== undefined && constantTimeEqual(Buffer.from(candidate), expected)) authentic = true;
    }
  }
  if (secrets.webhookHmacKey && headers.signature && headers.timestamp) {
    const at = timestampToMs(headers.timestamp);
    if (at !== undefined && Math.abs(now - at) <= HMAC_SKEW_MS) {
      const expected = createHmac('sha256', secrets.webhookHmacKey).update(`${headers.timestamp}.`).update(rawBody).digest();
      const given = /^[0-9a-f]{64}$/i.test(headers.signature) ? Buffer.from(headers.signature, 'hex') : Buffer.alloc(0);
      if (constantTimeEqual(given, expected)) authentic = true;
    }
  }
  return authentic;
}
