import { startWorkerService, workerSpec } from '@callvault/service-kit';
import { composeFetcher } from './compose-fetcher';
import { processRecordingFetch } from './recording-fetch.processor';

await startWorkerService({
  name: 'recording-fetcher',
  defaultPort: 3002,
  workers: [
    workerSpec({
      queue: 'recording-fetch',
      concurrency: (config) => config.FETCHER_CONCURRENCY,
      processor: (parts) => {
        const deps = composeFetcher(parts);
        return (payload, context) => processRecordingFetch(deps, payload, context);
      },
    }),
  ],
});
