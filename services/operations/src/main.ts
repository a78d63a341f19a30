import { lookUpTenant, processProviderSync, replayWebhookEvent } from '@callvault/events';
import { removeRecordingObject } from '@callvault/erasure';
import { processWebhookDelivery } from '@callvault/outbound-events';
import { startWorkerService, workerSpec, type WorkerServiceParts } from '@callvault/service-kit';
import { offboardCompany } from './company-offboarding.processor';
import { composeOperations, type OperationsDeps } from './compose-operations';
import { processMaintenance } from './maintenance.processor';
import { maintenanceSchedule, registerSchedules } from './schedules';

/** One set of parts for every queue of this process. */
let deps: OperationsDeps | undefined;
const depsOf = (parts: WorkerServiceParts) => (deps ??= composeOperations(parts));

await startWorkerService({
  name: 'operations',
  defaultPort: 3005,
  workers: [
    workerSpec({ queue: 'maintenance', concurrency: () => 2, processor: (parts) => (payload, context) => processMaintenance(depsOf(parts), payload, context) }),
    workerSpec({
      queue: 'provider-sync',
      concurrency: () => 2,
      processor: (parts) => (payload, context) => processProviderSync(depsOf(parts), payload, context),
    }),
    workerSpec({ queue: 'event-replay', concurrency: () => 2, processor: (parts) => (payload) => replayWebhookEvent(depsOf(parts), payload.eventId) }),
    workerSpec({ queue: 'tenant-lookup', concurrency: () => 2, processor: (parts) => (payload) => lookUpTenant(depsOf(parts), payload.eventId) }),
    workerSpec({
      queue: 'webhook-delivery',
      concurrency: () => 8,
      processor: (parts) => (payload, context) => processWebhookDelivery(depsOf(parts), payload, context),
    }),
    workerSpec({
      queue: 'object-removal',
      concurrency: () => 4,
      processor: (parts) => (payload) =>
        removeRecordingObject({ ...parts, providerCopy: { box: depsOf(parts).box, twilioApiBaseUrl: depsOf(parts).twilioApiBaseUrl } }, payload),
    }),
    workerSpec({ queue: 'company-offboarding', concurrency: () => 1, processor: (parts) => (payload) => offboardCompany(parts, payload) }),
  ],
  start: ({ config, producer }) => registerSchedules(producer, maintenanceSchedule(config)),
});
