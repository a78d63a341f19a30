export { queues, QUEUE_NAMES, type QueueName, type JobPayload } from './contracts';
export { createRedis } from './connection';
export { createProducer, describeJob, type Producer, type QueuedJob } from './producer';
export { runWorker, UnrecoverableError, type JobContext, type Processor, type RunningWorker } from './run-worker';
