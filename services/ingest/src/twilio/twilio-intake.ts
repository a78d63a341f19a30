import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { findNumberMatches, findPendingCallOwner, findTwilioCallOwner, type CompanyTx, type PlatformTx } from '@callvault/db';
import type { QueuedJob } from '@callvault/queue';
import type { BatchedEffects, EventEffects, IntakeOutcome, PreparedEvent } from '../event-intake';
import type { IngestDeps } from '../ingest-deps';
import { registryLookupOf, resolveTenant, type CallNumbers, type Candidates, type TenantResolution } from '../tenant-resolution';
import { applyCallStatus, applyCallStatuses, applyRecordingStatus, applyRecordingStatuses, applyTranscription } from './twilio-effects';
import { callStatusEvent, describeIssues, idempotencyKeyFor, recordingStatusEvent, transcriptionEvent } from './twilio-events';
import type { TwilioParams } from './twilio-signature';

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
    numbers: (event) => (event.ParentCallSid ? { from: null, to: null } : { from: event.From ?? null, to: event.To ?? null, forwardedFrom: event.ForwardedFrom ?? null }),
    callSid: (event) => event.ParentCallSid ?? event.CallSid,
  }),
  transcription: defineRoute({
    schema: transcriptionEvent,
    apply: applyTranscription,
    numbers: (event) => ({ from: event.From ?? null, to: event.To ?? null }),
    callSid: (event) => event.CallSid,
  }),
};

export interface TwilioEventInput {
  kind: TwilioKind;
  params: TwilioParams;
  /** The companies whose own registered token authenticated the event (or, for a sync, listed it). */
  candidates: Candidates;
  /** Our signed tag from the callback URL query, if any. */
  tag: string | undefined;
  requestPath: string;
  /** Set for events a sync found: their fetches go to the backfill lane. */
  jobPriority?: number;
}

export type TwilioIntakeResult = { outcome: IntakeOutcome; eventId?: string; rejectReason?: string };

/**
 * Everything after authentication, shared by the webhook routes, the reconciliation sync and
 * replays: parse, resolve the tenant, store with effects. Empty fields count as absent (Twilio
 * sends some empty, e.g. ParentCallSid on a first leg).
 */
export async function intakeTwilioEvent(deps: IngestDeps, input: TwilioEventInput): Promise<TwilioIntakeResult> {
  const { kind, params } = input;
  const accountSid = params.AccountSid as string;
  const parsed = parseTwilioEvent(kind, params);
  if (!parsed.success) {
    const reason = describeIssues(parsed.error);
    const stored = await deps.intake.store({
      provider: 'twilio',
      eventType: kind,
      idempotencyKey: idempotencyKeyFor(kind, params) ?? `twilio:rejected:${createHash('sha256').update(JSON.stringify(params)).digest('hex')}`,
      externalAccountId: accountSid,
      callRef: null,
      payload: params,
      requestPath: input.requestPath,
      authenticatedCompanyIds: input.candidates.companyIds,
      rejectReason: reason,
    });
    return { outcome: stored.outcome === 'duplicate' ? 'duplicate' : 'rejected', rejectReason: reason, ...(stored.eventId ? { eventId: stored.eventId } : {}) };
  }
  const prioritize = (jobs: QueuedJob[]) => (input.jobPriority ? jobs.map((job) => ({ ...job, priority: input.jobPriority })) : jobs);
  return deps.intake.store({
    provider: 'twilio',
    eventType: kind,
    idempotencyKey: idempotencyKeyFor(kind, params)!,
    externalAccountId: accountSid,
    callRef: TWILIO_EVENTS[kind].callSid(parsed.data),
    payload: { ...params, ...(input.tag ? { cv: input.tag } : {}) },
    requestPath: input.requestPath,
    authenticatedCompanyIds: input.candidates.companyIds,
    prepare: async (tx) => {
      const prepared = await prepareTwilioEvent(deps, tx, kind, parsed.data, input.candidates, input.tag);
      const effects = prepared.effects;
      // Backfill-lane jobs get their priority one event at a time; fresh webhooks may go set-based.
      return effects && input.jobPriority ? { ...prepared, effects: { apply: async (companyTx) => prioritize(await effects.apply(companyTx)) } } : prepared;
    },
  });
}

/**
 * Tenant resolution and effects of a parsed Twilio event (webhook, sync and replay alike).
 * `knownNumbers` are the call's numbers as the provider holds them, for events that lack them
 * (a recording callback): a tenant lookup passes them.
 */
export async function prepareTwilioEvent(
  deps: IngestDeps,
  tx: PlatformTx,
  kind: TwilioKind,
  event: unknown,
  candidates: Candidates,
  tag: string | undefined,
  knownNumbers?: CallNumbers,
): Promise<PreparedEvent> {
  const route = TWILIO_EVENTS[kind];
  const resolution = await resolveTwilioTenant(deps, tx, candidates, tag, knownNumbers ?? route.numbers(event), route.callSid(event));
  if (resolution.tagRejected) deps.metrics.tagsRejected.inc({ provider: 'twilio' });
  return {
    resolution,
    effects: resolution.kind === 'resolved' ? twilioEffects(kind, event, resolution.ownerUserId) : undefined,
    // Several candidates and nothing told them apart: Twilio's record of the call may.
    lookUpTenant: resolution.kind === 'quarantined' && candidates.companyIds.length > 1,
  };
}

/** The effects of a parsed Twilio event in its resolved company (on arrival or from the event store). */
export function twilioEffects(kind: TwilioKind, event: unknown, ownerUserId: string | null): EventEffects {
  const route = TWILIO_EVENTS[kind];
  const { applyAll } = route;
  return {
    apply: (companyTx) => route.apply(companyTx, event, ownerUserId),
    batch: applyAll ? { kind: `twilio:${kind}`, input: { event, ownerUserId }, applyAll: applyAll as BatchedEffects['applyAll'] } : undefined,
  };
}

/** Parses stored or received form fields; empty fields count as absent. */
export function parseTwilioEvent(kind: TwilioKind, params: TwilioParams) {
  return TWILIO_EVENTS[kind].schema.safeParse(Object.fromEntries(Object.entries(params).filter(([, value]) => value !== '')));
}

async function resolveTwilioTenant(deps: IngestDeps, tx: PlatformTx, candidates: Candidates, tag: string | undefined, numbers: CallNumbers, callSid: string): Promise<TenantResolution> {
  const companyIds = candidates.companyIds;
  const numberMatches = await findNumberMatches(tx, registryLookupOf(numbers), companyIds);
  // With one candidate company a known call cannot change the company, and upserting the call
  // keeps the owner it already has: the lookup would change nothing, so it is skipped.
  // A call whose first events are acknowledged but not yet applied is decided all the same.
  const existingCall =
    companyIds.length > 1 ? (await findTwilioCallOwner(tx, callSid, companyIds)) ?? (await findPendingCallOwner(tx, 'twilio', callSid, companyIds)) : undefined;
  return resolveTenant(deps.config.TAG_SIGNING_KEY, { candidates, tag, numberMatches, ...numbers, existingCall });
}
