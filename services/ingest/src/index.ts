export { buildApp } from './app';
export { composeIngest } from './compose-ingest';
export type { IngestDeps } from './ingest-deps';
