import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@callvault/auth';
import { redisVariables } from '@callvault/config';
import { createTestEnvironment, type TestEnvironment } from '@callvault/testing';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => env?.close());

async function cli(...args: string[]) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', main, ...args], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: env.config.DATABASE_URL,
      ...redisVariables(env.redis),
      QUEUE_PREFIX: env.config.QUEUE_PREFIX,
      SECRETS_KEY: env.config.SECRETS_KEY,
      AUTH_JWT_SECRET: env.config.AUTH_JWT_SECRET,
    },
  });
  return JSON.parse(stdout);
}

describe('callvault CLI', () => {
  it('migrates, bootstraps a superadmin, creates a company and a user, and mints a token that verifies', { timeout: 120_000 }, async () => {
    expect(await cli('migrate')).toEqual({ applied: [] });
    expect(await cli('bootstrap', '--subject', 'root-admin')).toEqual({ subject: 'root-admin', created: true });
    expect(await cli('bootstrap', '--subject', 'root-admin')).toEqual({ subject: 'root-admin', created: false });
    const company = await cli('company', 'create', '--name', 'Acme Dental', '--retention-days', '90');
    expect(company).toMatchObject({ name: 'Acme Dental', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const user = await cli('user', 'create', '--company', company.id, '--subject', 'agent-7', '--role', 'agent');
    expect(user).toMatchObject({ subject: 'agent-7', role: 'agent', companyId: company.id });
    const stored = await env.ownerDb.selectFrom('users').select(['company_id', 'role']).where('subject', '=', 'agent-7').executeTakeFirstOrThrow();
    expect(stored).toEqual({ company_id: company.id, role: 'agent' });

    const { token, expiresInSeconds } = await cli('token', '--subject', 'agent-7', '--ttl', '15m');
    expect(expiresInSeconds).toBe(900);
    const verified = await createTokenVerifier({ jwtSecret: env.config.AUTH_JWT_SECRET })(token);
    expect(verified.subject).toBe('agent-7');
  });

  it('refuses bad input with a clear message and a non-zero exit', { timeout: 60_000 }, async () => {
    await expect(cli('user', 'create', '--company', 'not-a-uuid', '--subject', 's', '--role', 'agent')).rejects.toMatchObject({
      stderr: expect.stringContaining('--company must be a UUID'),
    });
    await expect(cli('token', '--subject', 'x', '--ttl', 'forever')).rejects.toMatchObject({ stderr: expect.stringContaining('invalid ttl') });
    await expect(cli('replay', 'nope')).rejects.toMatchObject({ stderr: expect.stringContaining('usage: replay') });
  });
});
