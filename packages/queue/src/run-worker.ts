import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { inSpan, SpanKind } from '@callvault/tracing';
import { queuePrefixFor, type RedisClient } from './connection';
import { queues, type JobPayload, type QueueName } from './contracts';
import { splitJobData } from './job-trace';

export interface JobContext {
  job: Job;
  log: Logger;
  /** Aborted when the worker is shutting down: long jobs stop and leave the job to a retry. */
  signal: AbortSignal;
}

export type Processor<Q extends QueueName> = (payload: JobPayload<Q>, context: JobContext) => Promise<unknown>;

export interface RunWorkerOptions<Q extends QueueName> {
  queue: Q;
  connection: RedisClient;
  prefix: string;
  concurrency: number;
  log: Logger;
  process: Processor<Q>;
  /**
   * How long a job stays locked to this worker without a renewal (renewed every half of it), and
   * how often stalled jobs are looked for. A worker that dies (SIGKILL, OOM) holds its jobs until
   * both have passed: lower means faster recovery, more Redis traffic. BullMQ's default: 30 s.
   */
  lockSeconds?: number;
}

export interface RunningWorker {
  worker: Worker;
  close(graceMs?: number): Promise<void>;
}

/**
 * Consumes one queue of the contracts. The payload is validated again on the way out:
 * an invalid one can never succeed, so it fails at once as unrecoverable and stays in the
 * failed set where an operator sees it.
 */
export function runWorker<Q extends QueueName>(options: RunWorkerOptions<Q>): RunningWorker {
  const shutdown = new AbortController();
  const worker = new Worker(
    options.queue,
    async (job) => {
      const data = splitJobData(job.data);
      const parsed = queues[options.queue].payload.safeParse(data.payload);
      if (!parsed.success)
        throw new UnrecoverableError(`invalid ${options.queue} payload: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      const payload = parsed.data as JobPayload<Q>;
      const companyId = (payload as { companyId?: string }).companyId;
      const attempt = job.attemptsMade + 1;
      // The consumer span of the messaging conventions, under the span that enqueued the job.
      const start = {
        kind: SpanKind.CONSUMER,
        parent: data.traceparent,
        attributes: {
          'messaging.system': 'bullmq',
          'messaging.operation.type': 'process',
          'messaging.destination.name': options.queue,
          'messaging.message.id': job.id ?? '',
          'callvault.job.attempt': attempt,
          ...(companyId ? { 'callvault.company_id': companyId } : {}),
        },
      };
      return inSpan(`process ${options.queue}`, start, (span) => {
        const traceId = span?.spanContext().traceId;
        const log = options.log.child({ queue: options.queue, jobId: job.id, companyId, attempt, ...(traceId ? { traceId } : {}) });
        return options.process(payload, { job, log, signal: shutdown.signal });
      });
    },
    {
      connection: options.connection,
      prefix: queuePrefixFor(options.connection, options.prefix, options.queue),
      concurrency: options.concurrency,
      autorun: true,
      ...(options.lockSeconds ? { lockDuration: options.lockSeconds * 1000, stalledInterval: options.lockSeconds * 1000 } : {}),
    },
  );
  worker.on('failed', (job, error) => {
    options.log.warn({ queue: options.queue, jobId: job?.id, attemptsMade: job?.attemptsMade, err: error }, 'job failed');
  });
  worker.on('error', (error) => options.log.error({ queue: options.queue, err: error }, 'worker error'));
  return {
    worker,
    async close(graceMs = 20_000) {
      // Stop taking jobs and let in-flight ones finish; past the deadline they are told to abort,
      // which releases them to a retry instead of leaving them half done.
      const timer = setTimeout(() => shutdown.abort(), graceMs);
      try {
        await worker.close();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export { UnrecoverableError };
