import { randomBytes } from 'node:crypto';
import type { SecretBox } from '@callvault/crypto';

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64, shown to the company once. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Sealed with SECRETS_KEY, bound to the endpoint and its company: a sealed secret moved to another row does not open. */
export const endpointSecretBinding = (companyId: string, endpointId: string) => `webhook-endpoint:${companyId}:${endpointId}`;

export function sealSigningSecret(box: SecretBox, companyId: string, endpointId: string, secret: string): string {
  return box.seal(secret, endpointSecretBinding(companyId, endpointId));
}

export function openSigningSecret(box: SecretBox, companyId: string, endpointId: string, sealed: string): string {
  return box.open(sealed, endpointSecretBinding(companyId, endpointId));
}
