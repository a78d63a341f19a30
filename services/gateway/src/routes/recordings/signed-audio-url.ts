import type { Recording } from '@callvault/db';
import { CONTENT_TYPES } from '@callvault/storage';
import type { GatewayDeps } from '../../gateway-deps';
import { roleOf, type Principal } from '../../principal';
import { createMediaSigner } from './media-token';
import { downloadFilename } from './download-filename';

/** A short-lived URL for a stored recording's audio, issued to `principal`. */
export type SignAudioUrl = (principal: Principal, recording: Recording, download: boolean) => Promise<{ url: string; expiresAt: Date }>;

/**
 * Signs audio URLs for playback, downloads and data-subject exports alike: presigned at storage,
 * or (PLAYBACK_MODE=gateway) an HMAC-token URL of the gateway's /media route, expiring after
 * PLAYBACK_URL_TTL_SECONDS either way.
 */
export function audioUrlSigner(deps: GatewayDeps): SignAudioUrl {
  const media = createMediaSigner(deps.config.TAG_SIGNING_KEY!);
  return async (principal, recording, download) => {
    const ttl = deps.config.PLAYBACK_URL_TTL_SECONDS;
    if (deps.config.PLAYBACK_MODE === 'gateway') {
      const expires = Math.floor(Date.now() / 1000) + ttl;
      const issuedTo = principal.kind === 'superadmin' ? `superadmin:${principal.id}` : `user:${principal.user.id}`;
      const url = media.url(deps.config.GATEWAY_PUBLIC_URL, {
        recordingId: recording.id,
        companyId: recording.company_id,
        expires,
        download,
        issuedTo,
        role: roleOf(principal),
      });
      return { url, expiresAt: new Date(expires * 1000) };
    }
    const expiresAt = new Date(Date.now() + ttl * 1000);
    const url = await deps.storage.presignGet(recording.storage_key!, {
      expiresInSeconds: ttl,
      contentType: CONTENT_TYPES[recording.format ?? ''],
      ...(download ? { downloadFilename: downloadFilename(recording) } : {}),
    });
    return { url, expiresAt };
  };
}
