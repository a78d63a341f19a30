import { randomBytes, randomUUID } from 'node:crypto';
import { mintToken } from '@callvault/auth';
import {
  createCompany,
  createPhoneNumber,
  createPlatformAdmin,
  createUser,
  upsertProviderAccount,
  withCompany,
  withPlatform,
  type Company,
  type PhoneNumber,
  type ProviderAccount,
  type Role,
  type User,
} from '@callvault/db';
import type { TestEnvironment } from './test-environment';

export function fakeTwilioAccountSid(): string {
  return `AC${randomBytes(16).toString('hex')}`;
}

export function fakeSid(prefix: 'CA' | 'RE' | 'TR'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

export async function seedCompany(env: TestEnvironment, name = `Company ${randomUUID().slice(0, 8)}`): Promise<Company> {
  return withPlatform(env.db, (tx) => createCompany(tx, { name }));
}

export async function seedUser(env: TestEnvironment, companyId: string, role: Role, options: { managerId?: string } = {}): Promise<User> {
  return withCompany(env.db, companyId, (tx) =>
    createUser(tx, { subject: `user-${randomUUID()}`, role, managerId: options.managerId ?? null, email: null, name: role }),
  );
}

export async function seedSuperadmin(env: TestEnvironment): Promise<{ subject: string }> {
  const subject = `admin-${randomUUID()}`;
  await withPlatform(env.db, (tx) => createPlatformAdmin(tx, { subject }));
  return { subject };
}

export async function seedTwilioAccount(
  env: TestEnvironment,
  companyId: string,
  account: { accountSid?: string; authToken?: string; settings?: Record<string, unknown>; shared?: boolean } = {},
): Promise<ProviderAccount & { authToken: string }> {
  const authToken = account.authToken ?? randomBytes(16).toString('hex');
  // As registered through the API: proven, and shared only when a superadmin says so.
  const row = await withCompany(env.db, companyId, (tx) =>
    upsertProviderAccount(tx, env.box, {
      provider: 'twilio',
      externalId: account.accountSid ?? fakeTwilioAccountSid(),
      secrets: { authToken },
      settings: account.settings ?? {},
      shared: account.shared ?? false,
      proven: true,
    }),
  );
  return { ...row, authToken };
}

export async function seedPhoneNumber(
  env: TestEnvironment,
  companyId: string,
  input: { e164: string; matchOn: 'from' | 'to'; ownerUserId?: string | null; vapiAssistantId?: string | null },
): Promise<PhoneNumber> {
  return withCompany(env.db, companyId, (tx) => createPhoneNumber(tx, input));
}

export async function tokenFor(env: TestEnvironment, subject: string, ttlSeconds = 600): Promise<string> {
  return mintToken({ secret: env.config.AUTH_JWT_SECRET!, subject, ttlSeconds });
}

export async function seedVapiAccount(
  env: TestEnvironment,
  companyId: string,
  account: { orgId?: string; apiKey?: string; webhookSecret?: string; webhookHmacKey?: string; shared?: boolean } = {},
): Promise<ProviderAccount & { orgId: string; apiKey?: string; webhookSecret?: string; webhookHmacKey?: string }> {
  const orgId = account.orgId ?? randomUUID();
  const secrets = {
    ...(account.apiKey ? { apiKey: account.apiKey } : {}),
    ...(account.webhookSecret ? { webhookSecret: account.webhookSecret } : {}),
    ...(account.webhookHmacKey ? { webhookHmacKey: account.webhookHmacKey } : {}),
  };
  const row = await withCompany(env.db, companyId, (tx) =>
    upsertProviderAccount(tx, env.box, { provider: 'vapi', externalId: orgId, secrets, shared: account.shared ?? false, proven: true }),
  );
  return { ...row, orgId, ...secrets };
}
