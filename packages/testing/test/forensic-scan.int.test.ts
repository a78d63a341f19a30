import { PutObjectCommand } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanBucketFor, scanDatabaseFor } from '../src/forensic-scan';
import { createTestEnvironment, type TestEnvironment } from '../src/test-environment';
import { seedCompany } from '../src/factories';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => env.close());

describe('scanDatabaseFor', () => {
  it('finds a value in a text column and inside jsonb, through row-level security, with the row id', async () => {
    const company = await seedCompany(env, 'Quillfeather Dental');
    await sql`insert into audit_events (company_id, actor_subject, actor_role, action, target_type, target_id, details)
      values (${company.id}, 'tester', 'system', 'probe', 'company', ${company.id}, ${JSON.stringify({ note: 'card 4111-ZEBRA' })}::jsonb)`.execute(
      env.ownerDb,
    );

    const hits = await scanDatabaseFor(env.ownerDb, ['quillfeather', 'zebra', 'never-planted-value']);

    expect(hits).toContainEqual({ table: 'companies', column: 'name', row: company.id, value: 'quillfeather' });
    expect(hits.some((hit) => hit.table === 'audit_events' && hit.column === 'details' && hit.value === 'zebra')).toBe(true);
    expect(hits.filter((hit) => hit.value === 'never-planted-value')).toEqual([]);
  });

  it('accepts a connection string', async () => {
    await seedCompany(env, 'Marmalade Clinic');
    const hits = await scanDatabaseFor(env.config.DATABASE_URL, ['marmalade']);
    expect(hits.map((hit) => `${hit.table}.${hit.column}`)).toEqual(['companies.name']);
  });
});

describe('scanBucketFor', () => {
  it('finds values in keys, metadata and bytes, and says whether versions were listed', async () => {
    const put = (Key: string, Body: string, Metadata: Record<string, string> = {}) =>
      env.storage.client.send(new PutObjectCommand({ Bucket: env.storage.bucket, Key, Body, Metadata }));
    await put('companies/x/recordings/periwinkle.txt', 'nothing here');
    await put('companies/x/recordings/b.txt', 'the caller said OCELOT twice');
    await put('companies/x/recordings/c.txt', 'plain', { note: 'tangerine' });

    const scan = await scanBucketFor(env.storage.client, env.storage.bucket, ['periwinkle', 'ocelot', 'tangerine', 'absent-value']);

    expect(scan.objectsScanned).toBe(3);
    expect(scan.hits.map(({ where, value }) => `${where}:${value}`).sort()).toEqual(['body:ocelot', 'key:periwinkle', 'metadata:tangerine']);
    // s3rver 3.7 does not implement ListObjectVersions: the scan says it read current objects only.
    expect(scan.versionsListed).toBe(false);
  });
});
