import { startWorkerService, workerSpec } from '@callvault/service-kit';
import { processAnalytics } from './analytics.processor';

await startWorkerService({
  name: 'analytics',
  defaultPort: 3004,
  workers: [
    workerSpec({
      queue: 'analytics',
      concurrency: (config) => config.WORKER_CONCURRENCY,
      processor:
        ({ db, storage }) =>
        (payload, context) =>
          processAnalytics({ db, storage }, payload, context),
    }),
  ],
});
