import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, generateSecretsKey } from './secret-box';

describe('secret box', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = createSecretBox(generateSecretsKey('k1'));
    const sealed = box.seal('twilio-auth-token-123', 'provider_accounts:a');
    expect(sealed).not.toContain('twilio-auth-token-123');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(box.open(sealed, 'provider_accounts:a')).toBe('twilio-auth-token-123');
  });

  it('refuses a ciphertext moved to another row or altered', () => {
    const box = createSecretBox(generateSecretsKey());
    const sealed = box.seal('secret', 'provider_accounts:a');
    expect(() => box.open(sealed, 'provider_accounts:b')).toThrow();
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'), 'provider_accounts:a')).toThrow();
  });

  it('refuses a truncated authentication tag (GCM accepts short tags unless their length is pinned)', () => {
    const box = createSecretBox(generateSecretsKey());
    const parts = box.seal('secret', 'provider_accounts:a').split('.');
    parts[3] = Buffer.from(parts[3]!, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => box.open(parts.join('.'), 'provider_accounts:a')).toThrow(/16 bytes/);
  });

  it('rotates: the first key seals, older keys still open, a removed key fails loudly', () => {
    const oldKey = generateSecretsKey('k1');
    const newKey = generateSecretsKey('k2');
    const sealedOld = createSecretBox(oldKey).seal('v', 'x');
    const rotated = createSecretBox(`${newKey},${oldKey}`);
    expect(rotated.activeKeyId).toBe('k2');
    expect(rotated.open(sealedOld, 'x')).toBe('v');
    expect(rotated.keyIdOf(rotated.seal('v', 'x'))).toBe('k2');
    expect(() => createSecretBox(newKey).open(sealedOld, 'x')).toThrow(/key "k1" is not in SECRETS_KEY/);
  });

  it('accepts a bare base64 key and rejects keys of the wrong size', () => {
    expect(createSecretBox(randomBytes(32).toString('base64')).activeKeyId).toBe('k1');
    expect(() => createSecretBox(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
