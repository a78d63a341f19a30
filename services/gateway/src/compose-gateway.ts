import { createTokenVerifier, withVerifiedTokenCache } from '@callvault/auth';
import { redisTargetFrom, type Config } from '@callvault/config';
import { pingDb, type Db } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import { createProducer, createRedis } from '@callvault/queue';
import { createMetricsRegistry, createOutboxRelay } from '@callvault/service-kit';
import type { Storage } from '@callvault/storage';
import { createCursorCodec } from './cursor';
import type { GatewayDeps } from './gateway-deps';
import { createReplicaReads } from './replica-reads';

export function composeGateway(input: { config: Config; db: Db; storage: Storage; log: Logger }): GatewayDeps {
  const { config, db, storage, log } = input;
  if (!config.TAG_SIGNING_KEY) throw new Error('gateway needs TAG_SIGNING_KEY');
  const redis = createRedis(redisTargetFrom(config), 'producer');
  const producer = createProducer(redis, config.QUEUE_PREFIX);
  // Re-runs, syncs, replays and object removals are committed with their audit events, then relayed.
  const relay = createOutboxRelay({ db, producer, log });
  relay.start();
  const registry = createMetricsRegistry('gateway');
  const replicaReads = createReplicaReads({ config, primary: db, redis, registry, log });
  return {
    config,
    db,
    replicaReads,
    storage,
    producer,
    // Fail-fast settings (no offline queue, 2 s command timeout): a Redis outage never holds a request.
    rateLimitRedis: redis,
    jobsCommitted: () => relay.wake(),
    closeConnections: async () => {
      await relay.stop();
      await producer.close();
      await replicaReads?.close();
      redis.disconnect();
    },
    log,
    // A token already verified in the last minute is not verified again (verified-token-cache.ts).
    verifyToken: withVerifiedTokenCache(
      createTokenVerifier({
        jwtSecret: config.AUTH_JWT_SECRET,
        jwksUrl: config.AUTH_JWKS_URL,
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
      }),
      { ttlSeconds: 60 },
    ),
    // Cursors are signed with a key derived for that purpose only (signer('cursor')).
    cursors: createCursorCodec(config.TAG_SIGNING_KEY),
    registry,
    readiness: {
      postgres: () => pingDb(db),
      redis: async () => void (await redis.ping()),
      storage: () => storage.ping(),
    },
  };
}
