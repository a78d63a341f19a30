import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecretsKey } from '@callvault/crypto';

/**
 * Local runs keep their generated keys in .local/secrets.env (git-ignored, mode 600), so
 * credentials sealed on one start still open on the next. Variables already set win.
 */
export function loadOrCreateLocalSecrets(dataDir: string): Record<string, string> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.env');
  if (!existsSync(file)) {
    const secrets = {
      SECRETS_KEY: generateSecretsKey('k1'),
      TAG_SIGNING_KEY: randomBytes(32).toString('base64url'),
      AUTH_JWT_SECRET: randomBytes(32).toString('base64url'),
    };
    writeFileSync(
      file,
      `${Object.entries(secrets)
        .map(([key, value]) => `${key}=${value}`)
        .join('\n')}\n`,
      { mode: 0o600 },
    );
  }
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
