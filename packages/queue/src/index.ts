export { queues, QUEUE_NAMES, MAINTENANCE_TASKS, type QueueName, type JobPayload, type MaintenanceTask } from './contracts';
export { createRedis, whenReady, type RedisClient } from './connection';
export { createProducer, describeJob, type Producer, type QueuedJob } from './producer';
export { connectProducer } from './connect-producer';
export { deleteQueueKeys } from './delete-queue-keys';
export { runWorker, UnrecoverableError, type JobContext, type Processor, type RunningWorker } from './run-worker';
