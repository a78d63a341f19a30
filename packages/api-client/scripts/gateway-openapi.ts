import { randomBytes } from 'node:crypto';
import { loadConfig, redisTargetFrom } from '@callvault/config';
import { createDb } from '@callvault/db';
import { buildApp, composeGateway } from '@callvault/gateway';
import { createLogger } from '@callvault/logging';
import { deleteQueueKeys } from '@callvault/queue';
import { storageConfigFrom } from '@callvault/service-kit';
import { createStorage } from '@callvault/storage';

/**
 * The gateway's OpenAPI document, read from the real app built in this process (the same
 * `buildApp` production runs), so the client cannot describe routes the gateway does not have.
 * Nothing listens and no query runs: Postgres is never contacted; Redis is (the gateway's queue
 * connection is part of its composition), under a prefix of its own that is deleted afterwards.
 */
export async function readGatewayOpenApi(): Promise<Record<string, unknown>> {
  const key = randomBytes(32).toString('base64url');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    TAG_SIGNING_KEY: key,
    AUTH_JWT_SECRET: key,
    QUEUE_PREFIX: `openapi-${randomBytes(4).toString('hex')}`,
  });
  const db = createDb(config.DATABASE_APP_URL, { poolSize: 1 });
  const deps = composeGateway({ config, db, storage: createStorage(storageConfigFrom(config)), log: createLogger({ name: 'openapi', level: 'silent' }) });
  const app = await buildApp(deps);
  try {
    // Closing a queue connection still in its handshake throws in ioredis: let it finish first.
    await untilRedisAnswers(deps.readiness.redis);
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    if (response.statusCode !== 200) throw new Error(`gateway /docs/json answered ${response.statusCode}`);
    return response.json() as Record<string, unknown>;
  } finally {
    await app.close();
    await db.destroy();
    // Its queue connection left the queues' keys under this run's prefix: nothing else reads them.
    // Without Redis there are none, and the document (or the error that stopped it) matters more.
    await deleteQueueKeys(redisTargetFrom(config), config.QUEUE_PREFIX).catch((error: unknown) =>
      console.warn(`the keys under ${config.QUEUE_PREFIX} were not deleted: ${String(error)}`),
    );
  }
}

async function untilRedisAnswers(ping: (() => Promise<void>) | undefined): Promise<void> {
  for (let attempt = 0; ping && attempt < 100; attempt += 1) {
    try {
      return await ping();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
