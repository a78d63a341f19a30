export { deleteRecordings, deletionDetails } from './recording-deletion';
export { removeRecordingObject, type ObjectRemovalResult } from './object-removal';
export { cleanupCompany, type CleanupResult } from './company-cleanup';
export { runRetentionSweep, type RetentionSweepResult } from './retention-sweep';
export { RecordingsUnderLegalHoldError } from './legal-hold';
export { redactExpiredPayloads, pruneAuditTrail, type PayloadLifetimeResult, type AuditLifetimeResult } from './lifetimes';
export { DELETE_FROM_PROVIDER_ON_ERASURE, type ProviderCopyDeps } from './provider-copy-removal';
