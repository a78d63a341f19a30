import { startWorkerService } from '@callvault/service-kit';
import { processAnalytics } from './analytics.processor';
import { startRollupRefresher } from './rollup-refresher';

await startWorkerService({
  name: 'analytics',
  defaultPort: 3004,
  queue: 'analytics',
  concurrency: (config) => config.WORKER_CONCURRENCY,
  processor: ({ db, storage }) => (payload, context) => processAnalytics({ db, storage }, payload, context),
  background: ({ db, log }) => startRollupRefresher({ db, log }),
});
