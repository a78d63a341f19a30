import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for provider credentials at rest. Ciphertexts name the key that sealed them
 * (`v1.<kid>.<iv>.<tag>.<data>`), so SECRETS_KEY can list a new key first and old keys after
 * it: new writes use the first key, reads find theirs, and a re-encrypt pass retires old keys.
 */
export interface SecretBox {
  seal(plaintext: string, associatedData: string): string;
  open(sealed: string, associatedData: string): string;
  readonly activeKeyId: string;
  keyIdOf(sealed: string): string;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** GCM's full tag: a shorter one would be accepted by Node unless pinned, and truncated tags are forgeable. */
const TAG_BYTES = 16;

export function parseSecretsKey(value: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of value
    .split(',')
    .map((part) => part.trim())
    .entries()) {
    const separator = entry.indexOf(':');
    const kid = separator === -1 ? (index === 0 ? 'k1' : `k${index + 1}`) : entry.slice(0, separator);
    const material = Buffer.from(separator === -1 ? entry : entry.slice(separator + 1), 'base64');
    if (!KEY_ID.test(kid)) throw new Error(`SECRETS_KEY: key id "${kid}" must match ${KEY_ID}`);
    if (material.length !== 32) throw new Error(`SECRETS_KEY: key "${kid}" must be 32 bytes of base64`);
    if (keys.has(kid)) throw new Error(`SECRETS_KEY: key id "${kid}" appears twice`);
    keys.set(kid, material);
  }
  if (keys.size === 0) throw new Error('SECRETS_KEY: no key');
  return keys;
}

export function createSecretBox(secretsKey: string): SecretBox {
  const keys = parseSecretsKey(secretsKey);
  const [activeKeyId, activeKey] = [...keys.entries()][0]!;
  return {
    activeKeyId,
    seal(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', activeKey, iv, { authTagLength: TAG_BYTES });
      // Binding the row's identity as associated data stops a ciphertext being moved to another row.
      cipher.setAAD(Buffer.from(associatedData));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', activeKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    },
    open(sealed, associatedData) {
      const [version, kid, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !kid || !iv || !tag || data === undefined) throw new Error('sealed secret: unknown format');
      const key = keys.get(kid);
      if (!key) throw new Error(`sealed secret: key "${kid}" is not in SECRETS_KEY`);
      const authTag = Buffer.from(tag, 'base64url');
      if (authTag.length !== TAG_BYTES) throw new Error('sealed secret: the authentication tag must be 16 bytes');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(authTag);
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
    keyIdOf(sealed) {
      return sealed.split('.')[1] ?? '';
    },
  };
}

export function generateSecretsKey(kid = 'k1'): string {
  return `${kid}:${randomBytes(32).toString('base64')}`;
}
