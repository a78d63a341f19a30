import type { PlatformOnlyName } from './discovery';

/**
 * Repository functions that may see every company: they take a PlatformTx, which no company
 * request or company job holds. Each says why it is platform-wide. A new PlatformTx function
 * must be added here (typecheck and the test both say so), which is the moment to ask whether it
 * should take a CompanyTx instead.
 */
export const PLATFORM_WIDE: Record<PlatformOnlyName, string> = {
  // Tenant resolution at ingest: the company of a webhook is not known until these answer.
  findAccountsByExternalId: 'ingest: finds which companies registered a provider account id',
  findRegistrationsElsewhere: 'registration: refuses an account id another company already proved',
  findNumberMatches: 'ingest: finds which company owns the called or calling number',
  findCallOwner: 'ingest: finds the company and owner a provider call id already belongs to',
  findPendingCallOwner: 'ingest: finds the owner an earlier, not yet applied event resolved for a call',
  // Ingest intake and the effects worker: events arrive before their company is known.
  insertWebhookEvent: 'ingest intake: stores an event before (or without) its company',
  insertWebhookEvents: 'ingest intake: the batch form of insertWebhookEvent',
  claimUnappliedEvents: 'effects worker: claims every company’s accepted events, then applies each with inCompany',
  markEventsApplied: 'effects worker: marks the claimed events of all companies applied',
  recordEffectsFailure: 'effects worker: records a failed application of a claimed event',
  unappliedBacklog: 'metrics: the backlog across companies',
  getWebhookEvent: 'superadmin: one event by id, quarantined ones have no company',
  acceptQuarantinedEvent: 'superadmin: assigns a quarantined event (no company yet) to a company',
  listWebhookEventsPage: 'superadmin: lists events across companies',
  // Outbox relay: moves every company's jobs to Redis.
  claimOutboxJobs: 'outbox relay: claims jobs of all companies',
  deleteOutboxJobs: 'outbox relay: deletes the jobs it enqueued',
  outboxBacklog: 'metrics: the outbox backlog across companies',
  // Authentication, before a company is known.
  findPrincipalBySubject: 'authentication: finds the user or superadmin of a token subject',
  findApiKeyByHash: 'authentication: finds the API key of a token hash',
  touchApiKey: 'authentication: records the use of the key found by its hash',
  // Superadmin and platform administration.
  createCompany: 'superadmin: creates a company',
  listCompanies: 'superadmin: lists companies',
  listCompaniesPage: 'superadmin: pages through companies',
  createPlatformAdmin: 'superadmin: creates a platform admin (no company)',
  insertPlatformAuditEvent: 'superadmin: the platform audit trail has no company',
  listAllProviderAccounts: 'superadmin: the ownership check walks every registration',
  // Periodic platform jobs that walk every company.
  listCompaniesWithProviderAccounts: 'provider sync: the companies to sync, each synced in its own transaction',
  refreshDirtyRollups: 'rollup job: refreshes the marked days of every company',
  listStalledFetches: 'redrive job: stalled fetches of every company',
  markFetchesRedriven: 'redrive job: marks the fetches it found',
  listStalledFollowUps: 'redrive job: stalled follow-ups of every company',
  listPendingObjectRemovals: 'retention job: object removals left over in every company',
  listCompanyRetentions: 'retention job: each company’s retention, each swept in its own transaction',
  deleteExpiredIdempotencyKeys: 'cleanup job: expired idempotency keys of everyone',
  lockExpiredPayloads: 'lifetime job: provider payloads past their lifetime, in every company',
  pruneExpiredAuditEvents: 'lifetime job: audit events past each company’s retention',
  maintainMonthlyPartitions: 'partition maintenance: creates and drops partitions of shared tables',
  // Offboarding: a superadmin removes a whole company, named by its argument.
  detachCompanyProviders: 'offboarding: detaches the named company’s accounts and numbers',
  countCompanyRows: 'offboarding: counts the named company’s rows in every table',
  deleteCompanyRows: 'offboarding: deletes the named company',
  findOffboardingRecord: 'offboarding: the audit record of a company that no longer exists',
  listHeldRecordingIds: 'offboarding: the named company’s recordings under legal hold',
};
