export { registerHealthRoutes, type ReadinessCheck } from './health-routes';
export { registerErrorHandling } from './error-handler';
export { createMetricsRegistry, registerMetricsRoute } from './metrics';
export { onShutdownSignal, type Closer } from './shutdown';
export { storageConfigFrom } from './storage-config';
export { buildWorkerApp } from './worker-app';
export { startWorkerService, type WorkerServiceParts } from './worker-service';
export { registerQueueMetrics, instrumentWorker, workerMetrics, QUEUE_JOB_STATES, type CountableQueue, type WorkerMetrics } from './queue-metrics';
export { registerHttpMetrics, auditWritesCounter, eventStoreHistogram, UNMATCHED_ROUTE } from './http-metrics';
