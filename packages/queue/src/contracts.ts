import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

const uuid = z.string().uuid();

/** The scheduled tasks of the operations worker. */
export const MAINTENANCE_TASKS = [
  'schedule-syncs',
  'redrive-jobs',
  'retention-sweep',
  'refresh-rollups',
  'expire-idempotency-keys',
  'redact-payloads',
  'prune-audit-trail',
  'maintain-partitions',
] as const;
export type MaintenanceTask = (typeof MAINTENANCE_TASKS)[number];

/** A pipeline hop keeps a day of finished jobs and every failed one, visible in the failed set until someone looks. */
const pipelineRetention = { removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: false } satisfies JobsOptions;

/**
 * A stage after the archive (transcription, analytics): one job per recording, and one more each
 * time someone asks for it again, since the request time makes a new job id.
 */
function rerunnableStage(jobIdPrefix: string) {
  return {
    payload: z.object({ companyId: uuid, recordingId: uuid, requestedAt: z.string().datetime().optional() }).strict(),
    jobId: (payload: { recordingId: string; requestedAt?: string | undefined }) =>
      `${jobIdPrefix}-${payload.recordingId}${payload.requestedAt ? `-${Date.parse(payload.requestedAt)}` : ''}`,
    options: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 10_000, jitter: 0.5 },
      ...pipelineRetention,
    } satisfies JobsOptions,
  };
}

/**
 * The pipeline's hops in order (fetch → transcription → analytics → call analysis), then the operational queues
 * (reconciliation sync, replay of quarantined events): queue name → payload schema → job options → deterministic job id.
 * Payloads carry ids and the company only: no audio, phone numbers, secrets or signed URLs.
 */
export const queues = {
  'recording-fetch': {
    payload: z.object({ companyId: uuid, recordingId: uuid }).strict(),
    jobId: (payload: { recordingId: string }) => `fetch-${payload.recordingId}`,
    options: {
      attempts: 8,
      // Twilio answers 404 for a short while after a call ends: back off before trying again.
      backoff: { type: 'exponential', delay: 5_000, jitter: 0.5 },
      ...pipelineRetention,
    } satisfies JobsOptions,
  },
  transcription: rerunnableStage('transcribe'),
  analytics: rerunnableStage('analyze'),
  /** Summary, topics, action items and scorecard from a language model, for companies that opted in. */
  'call-analysis': rerunnableStage('call-analysis'),
  'provider-sync': {
    payload: z.object({ companyId: uuid, requestedAt: z.string().datetime() }).strict(),
    // One sync per company per minute at most: a second request in the same minute is the same job.
    jobId: (payload: { companyId: string; requestedAt: string }) => `sync-${payload.companyId}-${Math.floor(Date.parse(payload.requestedAt) / 60_000)}`,
    options: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 30_000, jitter: 0.5 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    } satisfies JobsOptions,
  },
  /**
   * The audio object of a deleted recording, removed from storage after the deletion committed
   * (its tombstone keeps the key until then). Retried until storage answers.
   */
  'object-removal': {
    payload: z.object({ companyId: uuid, recordingId: uuid }).strict(),
    jobId: (payload: { recordingId: string }) => `remove-object-${payload.recordingId}`,
    options: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 10_000, jitter: 0.5 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: false,
    } satisfies JobsOptions,
  },
  /**
   * Operational work on a schedule (BullMQ job schedulers: one run per period across every
   * replica of the operations worker), each task named by the payload.
   */
  maintenance: {
    payload: z.object({ task: z.enum(MAINTENANCE_TASKS) }).strict(),
    jobId: (payload: { task: string }) => `maintenance-${payload.task}-${Date.now()}`,
    options: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 1_000 },
    } satisfies JobsOptions,
  },
  /**
   * A quarantined event of a shared account, tried again with the provider's record of the call
   * (Twilio's Calls resource carries the numbers a recording callback lacks) and with calls that
   * became known since. Backs off over about five minutes; what still resolves nowhere stays
   * quarantined, visible to the operator.
   */
  'tenant-lookup': {
    payload: z.object({ eventId: uuid }).strict(),
    jobId: (payload: { eventId: string }) => `tenant-lookup-${payload.eventId}`,
    options: {
      attempts: 6,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    } satisfies JobsOptions,
  },
  /**
   * One outbound event to one company endpoint. 13 attempts, exponential from 30 s: 12 waits of
   * 30 s·2^n (n = 0…11) add up to 34 h, and at least 27 h when the jitter shortens each by up to
   * 20 %, beyond the day the Standard Webhooks guidance asks for (12 attempts were only 14-17 h). A
   * redelivery asked for by a person is a new job of the same delivery (same webhook-id).
   */
  'webhook-delivery': {
    payload: z.object({ companyId: uuid, deliveryId: uuid, requestedAt: z.string().datetime().optional() }).strict(),
    jobId: (payload: { deliveryId: string; requestedAt?: string | undefined }) =>
      `deliver-${payload.deliveryId}${payload.requestedAt ? `-${Date.parse(payload.requestedAt)}` : ''}`,
    options: {
      attempts: 13,
      backoff: { type: 'exponential', delay: 30_000, jitter: 0.2 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    } satisfies JobsOptions,
  },
  /**
   * A company's end: providers detached, every object under its prefix and every row removed, a
   * record kept in the platform's audit trail. One job per company; retried until storage and
   * Postgres answer, then visible in the failed set.
   */
  'company-offboarding': {
    payload: z.object({ companyId: uuid }).strict(),
    jobId: (payload: { companyId: string }) => `offboard-${payload.companyId}`,
    options: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 10_000, jitter: 0.5 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: false,
    } satisfies JobsOptions,
  },
  'event-replay': {
    payload: z.object({ eventId: uuid, requestedAt: z.string().datetime() }).strict(),
    jobId: (payload: { eventId: string; requestedAt: string }) => `replay-${payload.eventId}-${Date.parse(payload.requestedAt)}`,
    options: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: false } satisfies JobsOptions,
  },
} as const;

export type QueueName = keyof typeof queues;
export type JobPayload<Q extends QueueName> = z.infer<(typeof queues)[Q]['payload']>;
export const QUEUE_NAMES = Object.keys(queues) as QueueName[];
