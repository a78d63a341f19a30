import type { CompanyTx, PlatformTx, Provider } from '@callvault/db';
import type { QueuedJob } from '@callvault/queue';
import type { TenantResolution } from './tenant-resolution';

/** What tenant resolution decided for an event before it is stored. */
export interface Resolution {
  tenant: TenantResolution;
  /** Quarantined among several candidates: ask the provider and look again (a tenant-lookup job). */
  lookUpTenant: boolean;
}

/** An authenticated provider event on its way into the event store. */
export interface IntakeEvent {
  provider: Provider;
  eventType: string;
  idempotencyKey: string;
  externalAccountId: string | null;
  callRef: string | null;
  payload: Record<string, unknown>;
  requestPath: string;
  /** Companies whose own credential authenticated the request: the only candidates for its tenant. */
  authenticatedCompanyIds: string[];
  /**
   * Resolves the tenant inside the intake transaction (a batch of events shares one). Absent when
   * the event is authentic but malformed: it is stored as rejected with `rejectReason`.
   */
  resolve?: (tx: PlatformTx) => Promise<Resolution>;
  rejectReason?: string;
  /** The trace of the request that delivered it (W3C traceparent), stored with the row for its effects to join. */
  traceparent?: string | undefined;
}

export type IntakeOutcome = 'accepted' | 'duplicate' | 'quarantined' | 'rejected';

/**
 * Effects that can be applied set-based: the events of one company with the same `kind` go to
 * one `applyAll` call (one statement instead of several per event).
 */
export interface BatchedEffects<T = unknown> {
  kind: string;
  input: T;
  /** One list of jobs per input, in order. Each input's call appears once per call. */
  applyAll: (tx: CompanyTx, inputs: T[]) => Promise<QueuedJob[][]>;
}

/** What an accepted event does to its company's calls and recordings, and the jobs that follow. */
export interface EventEffects {
  apply: (tx: CompanyTx) => Promise<QueuedJob[]>;
  /** When present, used instead of `apply` in a batch; `apply` stays equivalent for one event. */
  batch?: BatchedEffects | undefined;
}
