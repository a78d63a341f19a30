import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedS3 } from './embedded-s3';
import { randomBytes } from 'node:crypto';
import { dropDatabase, prepareTemplateDatabase, templateDatabaseName } from './test-database';

export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
    templateDatabase: string;
  }
}

/** Once per run: the migrated template database and one S3-protocol server shared by all files. */
export default async function setup(project: TestProject) {
  const template = templateDatabaseName(randomBytes(4).toString('hex'));
  await prepareTemplateDatabase(TEST_POSTGRES_URL, template);
  project.provide('templateDatabase', template);
  const directory = mkdtempSync(join(tmpdir(), 'callvault-s3-'));
  const s3 = await startEmbeddedS3({ directory });
  project.provide('s3Endpoint', s3.endpoint);
  return async () => {
    await dropDatabase(TEST_POSTGRES_URL, template);
    await s3.stop();
    rmSync(directory, { recursive: true, force: true });
  };
}
