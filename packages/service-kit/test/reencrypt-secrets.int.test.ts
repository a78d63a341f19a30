import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createSecretBox } from '@callvault/crypto';
import { getProviderAccount, hasLegacySeal, openProviderSecrets, withCompany, type TwilioSecrets, type VapiSecrets } from '@callvault/db';
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

  it('rewrites seals from before the company/provider/account binding, even under the active key', async () => {
    // Its own database: the test above leaves rows sealed with a key this one does not know.
    const env = await createTestEnvironment({ SECRETS_KEY: newKey });
    onTestFinished(() => env.close());
    const c = await seedCompany(env);
    const box = createSecretBox(newKey);
    const id = randomUUID();
    // A row as an older callvault wrote it: the ciphertext bound to the row id alone.
    const legacy = box.seal(JSON.stringify({ authToken: 'legacy-token-1' }), `provider_accounts:${id}`);
    await env.ownerDb
      .insertInto('provider_accounts')
      .values({ id, company_id: c.id, provider: 'twilio', external_id: `AC${'c'.repeat(32)}`, secrets_sealed: legacy })
      .execute();
    const before = await withCompany(env.db, c.id, (tx) => getProviderAccount(tx, 'twilio'));
    expect(hasLegacySeal(before!)).toBe(true);
    expect(openProviderSecrets<TwilioSecrets>(box, before!).authToken).toBe('legacy-token-1');

    await reencryptProviderSecrets(env.db, box);
    const after = await withCompany(env.db, c.id, (tx) => getProviderAccount(tx, 'twilio'));
    expect(hasLegacySeal(after!)).toBe(false);
    expect(openProviderSecrets<TwilioSecrets>(box, after!).authToken).toBe('legacy-token-1');
    // Bound now: moved to another company's row, or onto another account id, it no longer opens.
    const d = await seedCompany(env);
    expect(() => openProviderSecrets(box, { ...after!, company_id: d.id })).toThrow();
    expect(() => openProviderSecrets(box, { ...after!, external_id: `AC${'d'.repeat(32)}` })).toThrow();
  });
});
