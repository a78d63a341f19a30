import type { Config } from '@callvault/config';

/** Where browsers fetch recordings from: the signed playback URLs' origin(s). */
export function storageOrigins(config: Pick<Config, 'PLAYBACK_MODE' | 'S3_PUBLIC_ENDPOINT' | 'S3_BUCKET' | 'S3_REGION' | 'S3_FORCE_PATH_STYLE'>): string[] {
  if (config.PLAYBACK_MODE === 'gateway') return []; // media URLs are the gateway's own: 'self'
  if (config.S3_PUBLIC_ENDPOINT) {
    const endpoint = new URL(config.S3_PUBLIC_ENDPOINT);
    if (config.S3_FORCE_PATH_STYLE) return [endpoint.origin];
    return [`${endpoint.protocol}//${config.S3_BUCKET}.${endpoint.host}`];
  }
  return [`https://${config.S3_BUCKET}.s3.${config.S3_REGION}.amazonaws.com`, `https://s3.${config.S3_REGION}.amazonaws.com`];
}

/**
 * The dashboard's policy: only its own scripts and styles run (no inline script, no eval), so an
 * API string that slipped into the page as markup still could not execute. The page talks to
 * its own origin, to storage (playback and the waveform's bytes) and to the OIDC issuer (its
 * discovery and token endpoints), nothing else; it cannot be framed.
 */
export function dashboardCsp(config: Parameters<typeof storageOrigins>[0] & Pick<Config, 'OIDC_ISSUER_URL'>): string {
  const storage = storageOrigins(config);
  const issuer = config.OIDC_ISSUER_URL ? [new URL(config.OIDC_ISSUER_URL).origin] : [];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...storage, ...issuer].join(' ')}`,
    `media-src ${["'self'", ...storage].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action ${["'self'", ...issuer].join(' ')}`,
  ].join('; ');
}
