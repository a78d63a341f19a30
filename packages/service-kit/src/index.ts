export { registerHealthRoutes, type ReadinessCheck } from './health-routes';
export { problemFrameworkErrors, registerErrorHandling, sendProblem } from './error-handler';
export {
  FRAMEWORK_ERRORS,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  defineErrorCatalogue,
  errorFactory,
  problemOf,
  type ErrorCatalogue,
  type ErrorEntry,
  type ProblemDetails,
  type ProblemFieldError,
} from './problem-details';
export { REQUEST_ID_HEADER, registerRequestIdHeader, requestIdOf, requestIdOptions } from './request-id';
export { registerRequestTracing } from './request-tracing';
export { createMetricsRegistry, registerMetricsRoute, getOrCreateMetric } from './metrics';
export { onShutdownSignal, type Closer } from './shutdown';
// Re-exported for the services' main files, which take their wiring from here; it lives with the config it reads.
export { storageConfigFrom } from '@callvault/config';
export { startTracing } from '@callvault/tracing';
export { buildWorkerApp } from './worker-app';
export { startWorkerService, workerSpec, type WorkerServiceParts, type WorkerSpec } from './worker-service';
export { registerQueueMetrics, instrumentWorker, workerMetrics, QUEUE_JOB_STATES, type CountableQueue, type WorkerMetrics } from './queue-metrics';
export { registerHttpMetrics, auditWritesCounter, eventStoreHistogram, UNMATCHED_ROUTE } from './http-metrics';
export { containsNul, replaceNul } from './nul-characters';
export { createDrainLoop, drainLoopsTogether, type DrainLoop } from './drain-loop';
export { createOutboxRelay } from './outbox-relay';
export { withTimeout } from './with-timeout';
export { modelTokensCounter } from './model-metrics';
