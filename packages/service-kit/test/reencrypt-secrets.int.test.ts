import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '@callvault/crypto';
import { getProviderAccount, openProviderSecrets, withCompany, type TwilioSecrets, type VapiSecrets } from '@callvault/db';
import { createTestEnvironment, seedCompany, seedTwilioAccount, seedVapiAccount, type TestEnvironment } from '@callvault/testing';
import { reencryptProviderSecrets } from '../../../scripts/reencrypt-secrets';

let env: TestEnvironment;
const oldKey = `k1:${randomBytes(32).toString('base64')}`;
const newKey = `k2:${randomBytes(32).toString('base64')}`;

beforeAll(async () => {
  env = await createTestEnvironment({ SECRETS_KEY: oldKey });
});

afterAll(async () => {
  await env?.close();
});

describe('scripts/reencrypt-secrets.ts', () => {
  it('re-seals every provider account with the active key, keeps secrets and settings, and is idempotent', async () => {
    const a = await seedCompany(env);
    const b = await seedCompany(env);
    const twilio = await seedTwilioAccount(env, a.id, { settings: { deleteFromProviderAfterArchive: true } });
    const vapi = await seedVapiAccount(env, b.id, { apiKey: 'vapi-key-123', webhookSecret: 'hook-secret-456' });

    const rotating = createSecretBox(`${newKey},${oldKey}`);
    const dry = await reencryptProviderSecrets(env.db, rotating, { dryRun: true });
    expect(dry).toMatchObject({ activeKeyId: 'k2', examined: 2, resealed: 2, byKeyBefore: { k1: 2 } });

    const report = await reencryptProviderSecrets(env.db, rotating);
    expect(report).toMatchObject({ activeKeyId: 'k2', examined: 2, resealed: 2, byKeyBefore: { k1: 2 } });

    // The old key can go: the new key alone opens everything.
    const newOnly = createSecretBox(newKey);
    const twilioRow = await withCompany(env.db, a.id, (tx) => getProviderAccount(tx, 'twilio'));
    expect(newOnly.keyIdOf(twilioRow!.secrets_sealed)).toBe('k2');
    expect(openProviderSecrets<TwilioSecrets>(newOnly, twilioRow!).authToken).toBe(twilio.authToken);
    expect(twilioRow!.settings).toEqual({ deleteFromProviderAfterArchive: true });
    expect(twilioRow!.external_id).toBe(twilio.external_id);
    const vapiRow = await withCompany(env.db, b.id, (tx) => getProviderAccount(tx, 'vapi'));
    expect(openProviderSecrets<VapiSecrets>(newOnly, vapiRow!)).toEqual({ apiKey: 'vapi-key-123', webhookSecret: 'hook-secret-456' });
    expect(vapiRow!.id).toBe(vapi.id);

    expect(await reencryptProviderSecrets(env.db, rotating)).toMatchObject({ examined: 2, resealed: 0, byKeyBefore: { k2: 2 } });
  });

  it('fails on an account sealed with a key no longer in SECRETS_KEY (that company transaction rolls back)', async () => {
    const c = await seedCompany(env);
    await seedTwilioAccount(env, c.id);
    const withoutOld = createSecretBox(`k3:${randomBytes(32).toString('base64')},${newKey}`);
    await expect(reencryptProviderSecrets(env.db, withoutOld)).rejects.toThrow(/key "k1" is not in SECRETS_KEY/);
  });
});
