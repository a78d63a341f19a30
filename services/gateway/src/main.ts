import { loadConfig } from '@callvault/config';
import { createDb, createPlatformAdmin, withPlatform } from '@callvault/db';
import { createLogger } from '@callvault/logging';
import { onShutdownSignal, storageConfigFrom } from '@callvault/service-kit';
import { createStorage } from '@callvault/storage';
import { buildApp } from './app';
import { composeGateway } from './compose-gateway';
import { scheduleRetentionSweep } from './retention-sweep';

const config = loadConfig(process.env, ['TAG_SIGNING_KEY', 'SECRETS_KEY']);
const log = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
const db = createDb(config.DATABASE_APP_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: 'callvault-gateway' });
const storage = createStorage(storageConfigFrom(config));
const app = await buildApp(composeGateway({ config, db, storage, log }));

if (config.BOOTSTRAP_SUPERADMIN_SUBJECT) {
  const created = await withPlatform(db, (tx) => createPlatformAdmin(tx, { subject: config.BOOTSTRAP_SUPERADMIN_SUBJECT! }));
  if (created) log.info({ subject: created.subject }, 'bootstrap superadmin created');
}

// Applies companies.retention_days hourly (legal holds skipped, every deletion audited).
const stopRetentionSweep = scheduleRetentionSweep({ db, storage, log }, 60 * 60_000);

onShutdownSignal(log, config.SHUTDOWN_GRACE_SECONDS, [
  ['retention-sweep', stopRetentionSweep],
  ['http', () => app.close()], // also closes the gateway's queue connection
  ['postgres', () => db.destroy()],
]);

await app.listen({ host: config.HOST, port: config.PORT ?? 3000 });
