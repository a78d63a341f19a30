export {
  createDb,
  withCompany,
  withPlatform,
  inCompany,
  pingDb,
  type PlatformTxOptions,
  type TxOptions,
  type Db,
  type CompanyTx,
  type PlatformTx,
} from './client';
export { queryAfter } from './deferred-begin-dialect';
export { withReadScope, companyWideRead, type ReadScope, type ReadTx, type ScopedTx } from './read-scope';
export type { InScope } from './in-scope';
export { migrateToLatest, migrateDown, grantAppRole, APP_ROLE } from './migrate';
export {
  COMPANY_OWNED_TABLES,
  PLATFORM_OR_COMPANY_TABLES,
  OWNER_ONLY_TABLES,
  type Database,
  type Company,
  type User,
  type Role,
  type Provider,
  type ProviderAccount,
  type PhoneNumber,
  type Call,
  type Recording,
  type RecordingStatus,
  type Transcript,
  type SpeechToTextChoice,
  type WebhookEvent,
  type WebhookEventStatus,
  type AuditEvent,
  type ApiKey,
  type OutboundEventType,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookEndpoint,
  OUTBOUND_EVENT_TYPES,
} from './schema';
export { createCompany, getCompany, listCompanies, updateCompany } from './repos/companies';
export { createUser, createPlatformAdmin, findPrincipalBySubject, listDirectReportIds, type PrincipalRecord, type NewUserInput } from './repos/users';
export {
  upsertProviderAccount,
  openProviderSecrets,
  hasLegacySeal,
  findRegistrationsElsewhere,
  findAccountsByExternalId,
  getProviderAccount,
  type TwilioSecrets,
  type VapiSecrets,
  type ProviderSecrets,
  type ProviderAccountInput,
} from './repos/provider-accounts';
export { createPhoneNumber, findNumberMatches } from './repos/phone-numbers';
export { upsertTwilioCall, upsertTwilioCalls, findCallOwner, TWILIO_CALL_STATUS_RANK, type TwilioCallFacts, type CallSummary } from './repos/calls';
export {
  applyProviderRecording,
  backfillRecordingsFromCall,
  backfillRecordingsFromCalls,
  getRecordingForCompany,
  claimRecordingForFetch,
  markRecordingStored,
  markRecordingFailed,
  releaseRecordingFetch,
  type ProviderRecordingFacts,
} from './repos/recordings';
export {
  insertWebhookEvent,
  insertWebhookEvents,
  claimUnappliedEvents,
  markEventsApplied,
  recordEffectsFailure,
  unappliedBacklog,
  findPendingCallOwner,
  getWebhookEvent,
  type NewWebhookEvent,
} from './repos/webhook-events';
export { insertOutboxJobs, claimOutboxJobs, deleteOutboxJobs, outboxBacklog, type OutboxJob, type ClaimedOutboxJob } from './repos/job-outbox';
export { upsertProviderTranscript, getProviderTranscript, type ProviderTranscriptFacts } from './repos/provider-transcripts';
export {
  listRecordingsPage,
  getRecordingInScope,
  countPlayback,
  whereInScope,
  type RecordingFilters,
  type RecordingPageRequest,
  type RecordingSortBy,
} from './repos/recording-queries';
export { insertAuditEvent, insertAuditEvents, insertPlatformAuditEvent, type NewAuditEvent, type NewPlatformAuditEvent } from './repos/audit-events';
export { upsertTranscript, type TranscriptInput } from './repos/transcripts';
export { upsertCallMetrics } from './repos/call-metrics';
export { upsertVapiCall, VAPI_CALL_STATUS_RANK, type VapiCallFacts } from './repos/vapi-calls';
export { constraintViolationOf, type ConstraintViolation } from './repos/admin/constraint-violation';
export { listCompaniesPage, type CompanyRow } from './repos/admin/companies-admin';
export {
  listCompanyUsersPage,
  getCompanyUser,
  lockCompanyUser,
  insertCompanyUser,
  updateCompanyUser,
  userOwnsCallData,
  deleteCompanyUser,
  type UserRow,
  type UserListRequest,
  type UserFields,
} from './repos/admin/users-admin';
export {
  listCompanyPhoneNumbersPage,
  getCompanyPhoneNumber,
  updateCompanyPhoneNumber,
  deleteCompanyPhoneNumber,
  importCompanyNumbers,
  type PhoneNumberRow,
  type PhoneNumberFields,
  type NumberImportResult,
} from './repos/admin/phone-numbers-admin';
export { lockProviderAccount, listAllProviderAccounts, markProviderAccountProven, detachProviderAccount } from './repos/admin/provider-accounts-admin';
export { listAuditEventsPage, type AuditEventRow, type AuditEventListRequest } from './repos/admin/audit-events-admin';
export { listWebhookEventsPage, type WebhookEventSummary, type WebhookEventListRequest } from './repos/admin/webhook-events-admin';
export { searchTranscripts, type TranscriptSearchHit, type TranscriptSearchQuery } from './repos/transcript-search';
export { acceptQuarantinedEvent } from './repos/webhook-events';
export { listProviderAccounts, markProviderAccountSynced, listCompaniesWithProviderAccounts } from './repos/provider-accounts';
export { findUserInScope } from './repos/users';
export { refreshDirtyRollups, readDailyStats, type DailyStats, type StatsRequest } from './repos/rollups';
export { findRecordingByProviderId } from './repos/recordings';
export { applyTwilioRecordingStatuses, type TwilioRecordingStatusFacts } from './repos/twilio-recording-statuses';
export { listStalledFetches, markFetchesRedriven, listStalledFollowUps } from './repos/stalled-fetches';
export { matchesSearch, type RecordingPageRow } from './repos/recording-queries';
export { byTimestamp, sortedPage, sortValueOf, type SortOrder, type SortPosition, type SortSpec } from './repos/keyset-page';
export {
  whereCallInScope,
  listCallsPage,
  getCallInScope,
  listCallRecordingDetails,
  type CallFilters,
  type CallPageRequest,
  type CallPageRow,
  type CallSortBy,
  type CallRecordingDetails,
} from './repos/recordings/call-queries';
export {
  lockRecordingsInScope,
  lockRecordingInScope,
  updateRecordingFields,
  setRecordingLegalHold,
  getTranscriptOfRecording,
  type RecordingFieldChanges,
} from './repos/recordings/recording-changes';
export {
  tombstoneRecordings,
  clearRemovedObject,
  listPendingObjectRemovals,
  countExpiredRecordings,
  lockExpiredRecordings,
  listCompanyRetentions,
  type PendingObjectRemoval,
} from './repos/recordings/recording-deletion';
export { getTranscriptForRecording } from './repos/transcripts';
export { getCallOutcome } from './repos/calls';
export { lockStoredRecording } from './repos/recordings';
export {
  endRotatedApiKey,
  findApiKeyByHash,
  getApiKey,
  insertApiKey,
  listApiKeysPage,
  revokeApiKey,
  touchApiKey,
  type ApiKeyRow,
  type NewApiKey,
} from './repos/api-keys';
export {
  deleteWebhookEndpoint,
  getDeliveryWithEndpoint,
  getWebhookEndpoint,
  insertEventDeliveries,
  insertWebhookEndpoint,
  listWebhookDeliveriesPage,
  listWebhookEndpointsPage,
  recordDeliveryAttempt,
  requeueDelivery,
  updateWebhookEndpoint,
  type AttemptOutcome,
  type EndpointFields,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from './repos/outbound-webhooks';
export {
  listRecordingChanges,
  listCallChanges,
  listTranscriptChanges,
  type FeedRow,
  type FeedStart,
  type TranscriptChange,
} from './repos/change-feed';
export {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  deleteExpiredIdempotencyKeys,
  type IdempotencyClaim,
  type IdempotencyOwner,
} from './repos/idempotency-keys';
export {
  listSubjectCallsPage,
  countSubjectCalls,
  loadSubjectCallDetails,
  lockSubjectRecordings,
  lockHeldRecordingsMentioning,
  eraseSubjectNumber,
} from './repos/data-subjects';
export {
  detachCompanyProviders,
  countCompanyRows,
  deleteCompanyRows,
  findOffboardingRecord,
  listHeldRecordingIds,
  listCompanyRowsPage,
  EXPORTED_TABLES,
  type ExportedTable,
} from './repos/company-offboarding';
export {
  eraseCallContent,
  listCallsUnderHold,
  lockCallPayloads,
  storeRedactedPayload,
  lockExpiredPayloads,
  pruneExpiredAuditEvents,
  type CallPayload,
} from './repos/recordings/call-content-erasure';
export { maintainMonthlyPartitions, type PartitionChange } from './repos/monthly-partitions';
export {
  getIntelligenceSettings,
  upsertIntelligenceSettings,
  getCallAnalysis,
  storeCallAnalysis,
  recordCallAnalysisFailure,
  addModelUsage,
  listModelUsage,
  sealModelKey,
  openModelKey,
  getSpeechToTextChoice,
  setSpeechToTextChoice,
  type ScorecardQuestion,
  type IntelligenceSettingsFields,
} from './repos/call-intelligence';
export { listRedactionPatterns, replaceRedactionPatterns, type RedactionPatternFields } from './repos/redaction-patterns';
export { listCallAnalysisSummaries, listRecordingAnalyses, type CallAnalysisSummary, type RecordingAnalysis } from './repos/intelligence/analysis-reads';
export { readScorecardCounts, readModelUsageTotals, type ScorecardCounts, type ModelUsageTotals } from './repos/intelligence/intelligence-stats';
