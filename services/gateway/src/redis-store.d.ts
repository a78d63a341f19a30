// The Redis store of @fastify/rate-limit, imported by path (it is not among the plugin's typed
// exports): the plugin's own atomic INCR + PEXPIRE script, bundled with the gateway.
declare module '@fastify/rate-limit/store/RedisStore.js' {
  import type { FastifyRateLimitStore } from '@fastify/rate-limit';
  import type { createRedis } from '@callvault/queue';
  const RedisStore: new (
    continueExceeding: boolean,
    exponentialBackoff: boolean,
    redis: ReturnType<typeof createRedis>,
    nameSpace: string,
  ) => FastifyRateLimitStore;
  export default RedisStore;
}
