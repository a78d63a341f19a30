export { composeFetcher } from './compose-fetcher';
export { processRecordingFetch, type FetchResult } from './recording-fetch.processor';
