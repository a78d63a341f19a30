import { createSecretBox, type SecretBox } from '@callvault/crypto';
import type { GatewayDeps } from '../../gateway-deps';
import { SecretsUnavailableError } from '../../errors';

export type SecretBoxSource = () => SecretBox;

/**
 * The box sealing provider credentials. GatewayDeps carries none yet, so the administration
 * routes open one from SECRETS_KEY, as ingest and the fetcher do; without the key only the
 * routes that need it fail (503), the rest of the gateway still serves.
 */
export function secretBoxSource(deps: GatewayDeps): SecretBoxSource {
  const box = openSecretBox(deps);
  return () => {
    if (!box) throw new SecretsUnavailableError();
    return box;
  };
}

/** The box when SECRETS_KEY is set, for the parts that do without it (and say how). */
export function openSecretBox(deps: GatewayDeps): SecretBox | undefined {
  return deps.config.SECRETS_KEY ? createSecretBox(deps.config.SECRETS_KEY) : undefined;
}
