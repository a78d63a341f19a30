import { loadServiceConfig } from '@callvault/config';
import { createDb, createPlatformAdmin, withPlatform } from '@callvault/db';
import { createLogger } from '@callvault/logging';
import { onShutdownSignal, startTracing, storageConfigFrom } from '@callvault/service-kit';
import { createStorage } from '@callvault/storage';
import { buildApp } from './app';
import { composeGateway } from './compose-gateway';

const config = loadServiceConfig('gateway');
// Before the app is built: its request spans are registered only when tracing is on.
const tracing = startTracing(config, 'gateway');
const log = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
const db = createDb(config.DATABASE_APP_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'callvault-gateway' });
const storage = createStorage(storageConfigFrom(config));
const app = await buildApp(composeGateway({ config, db, storage, log }));

if (config.BOOTSTRAP_SUPERADMIN_SUBJECT) {
  const created = await withPlatform(db, (tx) => createPlatformAdmin(tx, { subject: config.BOOTSTRAP_SUPERADMIN_SUBJECT! }));
  if (created) log.info({ subject: created.subject }, 'bootstrap superadmin created');
}

onShutdownSignal(log, config.SHUTDOWN_GRACE_SECONDS, [
  ['http', () => app.close()], // also stops the outbox relay and closes the queue connection
  ['postgres', () => db.destroy()],
  ['traces', () => tracing.shutdown()],
]);

await app.listen({ host: config.HOST, port: config.PORT ?? 3000 });
