import { startRedisSentinel } from '@callvault/testing';
import { defineCallJourney } from './call-journey';

/**
 * The journey through a Sentinel-managed master with a password (three Sentinels, one replica,
 * started here): every client finds the master through the Sentinels (REDIS_SENTINELS,
 * REDIS_SENTINEL_MASTER), as in production.
 */
defineCallJourney('one call, end to end, through Redis Sentinel', startRedisSentinel);
