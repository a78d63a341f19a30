import { afterAll, beforeAll } from 'vitest';

/**
 * What a test file shares (an app, a world, a simulator), opened before its first test and closed
 * after its last, as fastify/demo's test helper ties an app to its test. The file gets a getter:
 * the value exists only once the file's tests run. Opened in order, closed in reverse.
 */
export function openForFile<T extends { close(): Promise<void> }>(open: () => Promise<T>): () => T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await open();
  });
  afterAll(async () => {
    await value?.close();
  });
  return () => {
    if (!value) throw new Error('openForFile: used before the file opened it');
    return value;
  };
}
