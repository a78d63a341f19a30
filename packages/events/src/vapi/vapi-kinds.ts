import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { CompanyTx } from '@callvault/db';
import type { QueuedJob } from '@callvault/queue';
import { describeIssues } from '../describe-issues';
import { resolveVapiEvent, type ResolutionDeps } from '../event-resolution';
import type { EventEffects, IntakeEvent } from '../event-types';
import type { Candidates } from '../tenant-resolution';
import { applyEndOfCallReport, applyStatusUpdate } from './vapi-effects';
import { endOfCallReportMessage, statusUpdateMessage, type VapiCallFields } from './vapi-events';

interface Handled<S extends z.ZodTypeAny> {
  schema: S;
  idempotencyKey: (orgId: string, message: z.infer<S>) => string;
  apply: (tx: CompanyTx, message: z.infer<S>, ownerUserId: string | null) => Promise<QueuedJob[]>;
}

const defineHandled = <S extends z.ZodTypeAny>(handled: Handled<S>) => handled as unknown as Handled<z.ZodTypeAny>;

/** The VAPI message types callvault stores; every other type is acknowledged and ignored. */
export const VAPI_EVENTS: Record<string, Handled<z.ZodTypeAny>> = {
  'status-update': defineHandled({
    schema: statusUpdateMessage,
    idempotencyKey: (orgId, message) => `vapi:${orgId}:${message.call.id}:status-update:${message.status}`,
    apply: applyStatusUpdate,
  }),
  'end-of-call-report': defineHandled({
    schema: endOfCallReportMessage,
    idempotencyKey: (orgId, message) => `vapi:${orgId}:${message.call.id}:end-of-call-report`,
    apply: applyEndOfCallReport,
  }),
};

export const isStoredVapiType = (type: string) => type in VAPI_EVENTS;

export function parseVapiMessage(type: string, message: unknown) {
  const handled = VAPI_EVENTS[type];
  return handled ? handled.schema.safeParse(message) : undefined;
}

/** The effects of a parsed VAPI message in its resolved company. */
export function vapiEffects(type: string, message: unknown, ownerUserId: string | null): EventEffects {
  const handled = VAPI_EVENTS[type];
  if (!handled) throw new Error(`unhandled VAPI message type ${type}`);
  return { apply: (companyTx) => handled.apply(companyTx, message, ownerUserId) };
}

export interface VapiEventInput {
  type: string;
  /** The envelope as received, stored as it came. */
  body: Record<string, unknown>;
  /** The raw bytes: a malformed message is keyed by their hash. */
  raw: Buffer;
  orgId: string;
  candidates: Candidates;
  requestPath: string;
}

/** An authenticated VAPI message of a stored type, as the event store takes it; a malformed one is stored as rejected. */
export function vapiIntakeEvent(deps: ResolutionDeps, input: VapiEventInput): IntakeEvent {
  const handled = VAPI_EVENTS[input.type];
  if (!handled) throw new Error(`unhandled VAPI message type ${input.type}`);
  const message = (input.body as { message: { call?: { id?: string } } }).message;
  const common = {
    provider: 'vapi' as const,
    eventType: input.type,
    externalAccountId: input.orgId,
    payload: input.body,
    requestPath: input.requestPath,
    authenticatedCompanyIds: input.candidates.companyIds,
  };
  const parsed = handled.schema.safeParse(message);
  if (!parsed.success) {
    return {
      ...common,
      idempotencyKey: `vapi:rejected:${createHash('sha256').update(input.raw).digest('hex')}`,
      callRef: message.call?.id ?? null,
      rejectReason: describeIssues(parsed.error),
    };
  }
  return {
    ...common,
    idempotencyKey: handled.idempotencyKey(input.orgId, parsed.data),
    callRef: (parsed.data as { call: VapiCallFields }).call.id,
    resolve: (tx) => resolveVapiEvent(deps, tx, parsed.data, input.candidates),
  };
}
