export { createTestEnvironment, type TestEnvironment } from './test-environment';
export { startEmbeddedS3, freePort, type EmbeddedS3 } from './embedded-s3';
export { prepareTemplateDatabase, cloneTestDatabase, dropDatabase, templateDatabaseName } from './test-database';
export {
  seedCompany,
  seedUser,
  seedSuperadmin,
  seedTwilioAccount,
  seedVapiAccount,
  seedPhoneNumber,
  tokenFor,
  fakeTwilioAccountSid,
  fakeSid,
} from './factories';
export { waitFor } from './wait-for';
export { TEST_REDIS_URL } from './global-setup';
export { openForFile } from './open-for-file';
export { twilioFormFixture } from './fixtures';
export { CHROMIUM_ARGS, CHROMIUM_PATH, haveChromium } from './headless-chromium';
export { startPrivateRedis, type PrivateRedis } from './private-redis';
export { startRedisCluster, type RedisClusterUnderTest } from './redis-cluster';
export { startRedisSentinel, type RedisSentinelUnderTest } from './redis-sentinel';
export { startStandardWebhooksReceiver, standardWebhookProblem, type StandardWebhooksReceiver, type ReceivedWebhook } from './standard-webhooks-receiver';
export { scanDatabaseFor, scanBucketFor, type DatabaseHit, type BucketHit, type BucketScan } from './forensic-scan';
export { startPgRoundTripCounter, type PgRoundTripCounter } from './pg-round-trips';
export { connectUpstream } from './proxied-connection';
export { startPgBouncer, havePgBouncer, PGBOUNCER_PATH, type RunningPgBouncer } from './pgbouncer';
export { startOwnPostgresCluster, startStreamingReplica, havePostgresServerTools, type OwnPostgresCluster } from './own-postgres-cluster';
