import type { FastifyInstance } from 'fastify';
import type { GatewayDeps } from '../gateway-deps';
import { registerRecordingReadRoutes } from './recordings/recording-reads';
import { registerRecordingRemovalRoutes } from './recordings/recording-removal';
import { registerRecordingUpdateRoutes } from './recordings/recording-updates';

/**
 * Everything under /v1/recordings that works on the recordings themselves: reads, plays and
 * downloads, user changes and legal holds, deletions (single, bulk, cleanup). Transcripts are in
 * ./transcripts.ts, the gateway's own media URLs in ./media.ts.
 */
export function registerRecordingRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  registerRecordingReadRoutes(app, deps);
  registerRecordingUpdateRoutes(app, deps);
  registerRecordingRemovalRoutes(app, deps);
}
