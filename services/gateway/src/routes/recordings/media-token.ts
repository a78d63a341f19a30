import { createHmac, timingSafeEqual } from 'node:crypto';

export interface MediaGrant {
  recordingId: string;
  companyId: string;
  /** Unix seconds. */
  expires: number;
}

/**
 * Media URLs the gateway serves itself (PLAYBACK_MODE=gateway): `/media/{id}?company=&expires=&token=`,
 * where token = HMAC-SHA256 over the recording, its company and the expiry. The key is derived
 * from TAG_SIGNING_KEY for this purpose only, so a media token can never pass for a tenant tag
 * or a cursor, nor the other way round. The URL needs no header: an `<audio>` element can play it.
 */
export function createMediaSigner(signingKey: string) {
  const key = createHmac('sha256', signingKey).update('callvault media url v1').digest();
  const mac = (grant: MediaGrant) => createHmac('sha256', key).update(`${grant.recordingId}.${grant.companyId}.${grant.expires}`).digest('base64url');
  return {
    url(baseUrl: string, grant: MediaGrant, options: { download?: boolean } = {}): string {
      const query = new URLSearchParams({ company: grant.companyId, expires: String(grant.expires), token: mac(grant) });
      if (options.download) query.set('download', '1');
      return `${baseUrl}/media/${grant.recordingId}?${query.toString()}`;
    },
    /** Constant-time check of the token, then of the expiry. */
    verify(grant: MediaGrant, token: string, nowMs: number): boolean {
      // Compared as text: a base64 decoder would ignore stray characters in a tampered token.
      const given = Buffer.from(token, 'utf8');
      const expected = Buffer.from(mac(grant), 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      return grant.expires * 1000 > nowMs;
    },
  };
}

export type MediaSigner = ReturnType<typeof createMediaSigner>;
