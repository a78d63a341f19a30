import { signer } from '@callvault/crypto';

export interface MediaGrant {
  recordingId: string;
  companyId: string;
  /** Unix seconds. */
  expires: number;
  /** A download (served as an attachment, audited when served) rather than a play. */
  download: boolean;
  /** The principal the URL was issued to (`user:<id>` or `superadmin:<id>`) and its role then. */
  issuedTo: string;
  role: string;
}

const ISSUED_TO = /^(user|superadmin):[0-9a-f-]{36}$/;
const ROLE = /^(agent|manager|company_admin|superadmin)$/;

/**
 * Media URLs the gateway serves itself (PLAYBACK_MODE=gateway): `/media/{id}?company=&expires=&by=&role=[&download=1]&token=`,
 * where token = HMAC-SHA256 over every one of those, so a play link cannot be turned into a
 * download link nor be credited to someone else. The key is derived from TAG_SIGNING_KEY for this
 * purpose only (signer('media-url')), so a media token can never pass for a tenant tag or a
 * cursor, nor the other way round. The URL needs no header: an `<audio>` element can play it.
 */
export function createMediaSigner(signingKey: string) {
  const tokens = signer(signingKey, 'media-url');
  const signed = (grant: MediaGrant) =>
    [grant.recordingId, grant.companyId, grant.expires, grant.download ? 'download' : 'play', grant.issuedTo, grant.role].join('.');
  return {
    url(baseUrl: string, grant: MediaGrant): string {
      const query = new URLSearchParams({ company: grant.companyId, expires: String(grant.expires), by: grant.issuedTo, role: grant.role });
      if (grant.download) query.set('download', '1');
      query.set('token', tokens.sign(signed(grant)));
      return `${baseUrl}/media/${grant.recordingId}?${query.toString()}`;
    },
    /** Constant-time check of the token, then of the expiry. */
    verify(grant: MediaGrant, token: string, nowMs: number): boolean {
      if (!ISSUED_TO.test(grant.issuedTo) || !ROLE.test(grant.role)) return false;
      if (!tokens.verify(signed(grant), token)) return false;
      return grant.expires * 1000 > nowMs;
    },
  };
}
