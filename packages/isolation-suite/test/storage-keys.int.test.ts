import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingKey } from '@callvault/storage';
import { startPipeline, runScenario, type Pipeline } from '../src/pipeline';
import { settings } from '../src/settings';

/**
 * The storage wall: after a full simulated run (three companies, signed callbacks, the real
 * fetcher), every object sits under the prefix of the company whose recording references it,
 * and every key the database names exists. And the one function that builds keys refuses
 * anything that could climb out of a prefix.
 */
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
  await runScenario(pipeline, { companies: 3, calls: 2 });
}, 90_000);

afterAll(async () => pipeline?.close());

async function listKeys(): Promise<string[]> {
  const { storage } = pipeline.env;
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await storage.client.send(new ListObjectsV2Command({ Bucket: storage.bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

describe('storage keys after a full simulated run', () => {
  it('keeps every object under companies/{companyId}/ of the recording that references it, and every referenced key exists', async () => {
    const keys = await listKeys();
    const rows = await pipeline.env.ownerDb.selectFrom('recordings').select(['id', 'company_id', 'call_id', 'storage_key', 'status']).execute();
    expect(rows.filter((row) => row.status === 'stored')).toHaveLength(6);
    const byKey = new Map(rows.filter((row) => row.storage_key).map((row) => [row.storage_key!, row]));
    expect(keys.length).toBeGreaterThanOrEqual(6);
    for (const key of keys) {
      const owner = byKey.get(key);
      expect(owner, `object ${key} is referenced by no recording`).toBeDefined();
      expect(key.startsWith(`companies/${owner!.company_id}/recordings/`), key).toBe(true);
      expect(key).toMatch(new RegExp(`^companies/${owner!.company_id}/recordings/\\d{4}/\\d{2}/\\d{2}/${owner!.call_id}/${owner!.id}\\.(mp3|wav)$`));
    }
    for (const row of rows.filter((entry) => entry.status === 'stored')) expect(keys, `stored recording ${row.id} has no object`).toContain(row.storage_key);
  });

  it('stores each company in its own prefix: no two companies share a key prefix', async () => {
    const prefixes = new Set((await listKeys()).map((key) => key.split('/').slice(0, 2).join('/')));
    const companies = await pipeline.env.ownerDb.selectFrom('recordings').select('company_id').distinct().execute();
    expect([...prefixes].sort()).toEqual(companies.map((row) => `companies/${row.company_id}`).sort());
  });
});

describe('recordingKey', () => {
  const valid = { companyId: randomUUID(), callId: randomUUID(), recordingId: randomUUID(), startedAt: new Date('2025-03-04T23:59:59Z'), extension: 'mp3' };

  it('builds companies/{companyId}/recordings/{yyyy}/{mm}/{dd}/{callId}/{recordingId}.{ext} (UTC)', () => {
    expect(recordingKey(valid)).toBe(`companies/${valid.companyId}/recordings/2025/03/04/${valid.callId}/${valid.recordingId}.mp3`);
    expect(recordingKey({ ...valid, extension: 'wav' }).endsWith('.wav')).toBe(true);
  });

  const hostileIds = [
    '',
    '../',
    '../../etc/passwd',
    `${randomUUID()}/../x`,
    randomUUID().toUpperCase(),
    `${randomUUID()}\n`,
    ` ${randomUUID()}`,
    `${randomUUID()}%00`,
    randomUUID().replace(/-/g, ''),
    'companies',
    '*',
    `${randomUUID()}/`,
  ];

  it.each(['companyId', 'callId', 'recordingId'] as const)('refuses a %s that is not a lower-case UUID (empty, ../, upper-case, padded, encoded)', (field) => {
    for (const value of hostileIds) expect(() => recordingKey({ ...valid, [field]: value }), JSON.stringify(value)).toThrow();
  });

  it('refuses extensions other than mp3 and wav', () => {
    for (const extension of ['', 'MP3', 'ogg', 'mp3/../x', '../mp3', 'wav ', 'exe', '.mp3'])
      expect(() => recordingKey({ ...valid, extension }), extension).toThrow();
  });

  it('accepts only UUIDs, for any string fast-check can think of', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.uuid().map((id) => id.toUpperCase()),
          fc.constantFrom('..', '/', '%2e%2e'),
        ),
        fc.constantFrom('companyId', 'callId', 'recordingId'),
        (value, field) => {
          const build = () => recordingKey({ ...valid, [field]: value });
          if (uuid.test(value)) expect(build().split('/')).toHaveLength(8);
          else expect(build).toThrow();
        },
      ),
      { numRuns: settings.smallRuns * 10, seed: settings.seed },
    );
  });

  it('never produces a key outside the company prefix or with a dot segment', () => {
    fc.assert(
      fc.property(
        fc.uuid({ version: 4 }),
        fc.uuid({ version: 4 }),
        fc.uuid({ version: 4 }),
        fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        fc.constantFrom('mp3', 'wav'),
        (companyId, callId, recordingId, startedAt, extension) => {
          const key = recordingKey({ companyId, callId, recordingId, startedAt, extension });
          expect(key.startsWith(`companies/${companyId}/recordings/`)).toBe(true);
          expect(key.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')).toBe(false);
        },
      ),
      { numRuns: settings.smallRuns * 5, seed: settings.seed },
    );
  });
});
