import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { CompanyTx } from '@callvault/db';
import type { QueuedJob } from '@callvault/queue';
import type { BatchedEffects, EventEffects, IntakeEvent } from '../event-types';
import type { CallNumbers, Candidates } from '../tenant-resolution';
import { resolveTwilioEvent, type ResolutionDeps } from '../event-resolution';
import { applyCallStatus, applyCallStatuses, applyRecordingStatus, applyRecordingStatuses, applyTranscription } from './twilio-effects';
import { describeIssues } from '../describe-issues';
import { callStatusEvent, idempotencyKeyFor, recordingStatusEvent, transcriptionEvent, type TwilioParams } from './twilio-events';

export type TwilioKind = 'recording-status' | 'call-status' | 'transcription';

interface Route<S extends z.ZodTypeAny> {
  schema: S;
  apply: (tx: CompanyTx, event: z.infer<S>, ownerUserId: string | null) => Promise<QueuedJob[]>;
  /** Set-based form of `apply` for many events of one company (see BatchedEffects). */
  applyAll?: (tx: CompanyTx, inputs: Array<{ event: z.infer<S>; ownerUserId: string | null }>) => Promise<QueuedJob[][]>;
  numbers: (event: z.infer<S>) => CallNumbers;
  callSid: (event: z.infer<S>) => string;
}

/** Keeps each route's event type precise where it is written; the table itself is heterogeneous. */
const defineRoute = <S extends z.ZodTypeAny>(route: Route<S>) => route as unknown as Route<z.ZodTypeAny>;

/** Twilio's callbacks callvault stores: how each parses, which numbers and call it names, what it does. */
export const TWILIO_EVENTS: { [K in TwilioKind]: Route<z.ZodTypeAny> } = {
  'recording-status': defineRoute({
    schema: recordingStatusEvent,
    apply: applyRecordingStatus,
    applyAll: applyRecordingStatuses,
    numbers: () => ({ from: null, to: null }),
    callSid: (event) => event.CallSid,
  }),
  'call-status': defineRoute({
    schema: callStatusEvent,
    apply: applyCallStatus,
    applyAll: applyCallStatuses,
    numbers: (event) =>
      event.ParentCallSid ? { from: null, to: null } : { from: event.From ?? null, to: event.To ?? null, forwardedFrom: event.ForwardedFrom ?? null },
    callSid: (event) => event.ParentCallSid ?? event.CallSid,
  }),
  transcription: defineRoute({
    schema: transcriptionEvent,
    apply: applyTranscription,
    numbers: (event) => ({ from: event.From ?? null, to: event.To ?? null }),
    callSid: (event) => event.CallSid,
  }),
};

export const isTwilioKind = (value: string): value is TwilioKind => value in TWILIO_EVENTS;

/** Parses stored or received form fields; empty fields count as absent (Twilio sends some empty). */
export function parseTwilioEvent(kind: TwilioKind, params: TwilioParams) {
  return TWILIO_EVENTS[kind].schema.safeParse(Object.fromEntries(Object.entries(params).filter(([, value]) => value !== '')));
}

/** The effects of a parsed Twilio event in its resolved company. `priority` puts its jobs in a lane. */
export function twilioEffects(kind: TwilioKind, event: unknown, ownerUserId: string | null, priority?: number): EventEffects {
  const route = TWILIO_EVENTS[kind];
  const lane = (jobs: QueuedJob[]) => (priority ? jobs.map((job) => ({ ...job, priority })) : jobs);
  const { applyAll } = route;
  return {
    apply: async (companyTx) => lane(await route.apply(companyTx, event, ownerUserId)),
    // Backfill-lane events are few: they go one by one; fresh webhooks may go set-based.
    batch: applyAll && !priority ? { kind: `twilio:${kind}`, input: { event, ownerUserId }, applyAll: applyAll as BatchedEffects['applyAll'] } : undefined,
  };
}

export interface TwilioEventInput {
  kind: TwilioKind;
  params: TwilioParams;
  /** The companies whose own registered token authenticated the event (or, for a sync, listed it). */
  candidates: Candidates;
  /** Our signed tag from the callback URL query, if any. */
  tag: string | undefined;
  requestPath: string;
}

/**
 * An authenticated Twilio callback as the event store takes it (webhook and sync alike): parsed,
 * keyed, and resolved in the intake transaction; a malformed one is stored as rejected.
 */
export function twilioIntakeEvent(deps: ResolutionDeps, input: TwilioEventInput): IntakeEvent {
  const { kind, params } = input;
  const common = {
    provider: 'twilio' as const,
    eventType: kind,
    externalAccountId: params.AccountSid as string,
    requestPath: input.requestPath,
    authenticatedCompanyIds: input.candidates.companyIds,
  };
  const parsed = parseTwilioEvent(kind, params);
  if (!parsed.success) {
    return {
      ...common,
      idempotencyKey: idempotencyKeyFor(kind, params) ?? `twilio:rejected:${createHash('sha256').update(JSON.stringify(params)).digest('hex')}`,
      callRef: null,
      payload: params,
      rejectReason: describeIssues(parsed.error),
    };
  }
  return {
    ...common,
    idempotencyKey: idempotencyKeyFor(kind, params)!,
    callRef: TWILIO_EVENTS[kind].callSid(parsed.data),
    payload: { ...params, ...(input.tag ? { cv: input.tag } : {}) },
    resolve: (tx) => resolveTwilioEvent(deps, tx, kind, parsed.data, input.candidates, input.tag),
  };
}
