export { buildApp } from './app';
export { composeIngest } from './compose-ingest';
export { createEventRelay, type EventRelay } from './event-relay';
export { createFetchRedrive, type FetchRedrive } from './fetch-redrive';
export { replayWebhookEvent, type ReplayOutcome } from './event-replay';
export { lookUpTenant, TenantStillUnknownError } from './tenant-lookup';
export { processProviderSync, BACKFILL_PRIORITY, type SyncReport } from './sync/provider-sync.processor';
export { startSyncScheduler } from './sync/sync-scheduler';
export type { IngestDeps } from './ingest-deps';
