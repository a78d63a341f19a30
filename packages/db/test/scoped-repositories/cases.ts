import { randomUUID } from 'node:crypto';
import type { SecretBox } from '@callvault/crypto';
import type { Call, InScope, ReadScope, Recording } from '@callvault/db';
import type { ArgumentsOf, CompanyScopedName } from './discovery';
import { SHARED, type SeededCompany } from './seed';

/**
 * What a case builds its arguments from. The transaction is always company A's; `target` is the
 * company whose rows the arguments name: B in the attack (a B id handed to company A's code),
 * A in the control run (which proves the arguments reach real rows).
 */
export interface Aim {
  /** Company A: the transaction's company, and the one any `company_id` argument claims. */
  companyId: string;
  /** Company A's admin scope (the whole company). */
  scope: ReadScope;
  target: SeededCompany;
  box: SecretBox;
}

export interface TwoCompanyCase<K extends CompanyScopedName> {
  args: (aim: Aim) => ArgumentsOf<K>;
  /** Why the control run may leave no trace of company A (no A id in its result, no A row changed). */
  traceless?: string;
}

const page = { limit: 50, after: null };
const recordingPage = { filters: {}, sortBy: 'createdAt', sortOrder: 'desc', ...page } as const;
const stats = { from: null, to: null };
/**
 * A recording named by the target's id but claiming company A, as a caller that looked it up in
 * scope would pass it. Forged on purpose (the InScope brand makes this a compile error in real
 * code): the case proves the repository's own filter holds even then.
 */
const claimedAsOwn = (aim: Aim, recording: SeededCompany['recording']) => ({ ...recording, company_id: aim.companyId }) as InScope<Recording>;
const callSummary = (aim: Aim) => ({ id: aim.target.vapiCallId, ownerUserId: null, from: SHARED.caller, to: null, direction: 'inbound' });
const auditEvent = (aim: Aim) => ({
  companyId: aim.companyId,
  actorUserId: aim.target.adminId,
  actorSubject: 'case',
  actorRole: 'company_admin',
  action: 'case',
  targetType: 'user',
  targetId: aim.target.agentId,
  ip: null,
  userAgent: null,
});

/**
 * One two-company case per repository function a company transaction can call. The runner calls
 * the function with these arguments, for company A, with RLS out of the way.
 */
export const CASES: { [K in CompanyScopedName]: TwoCompanyCase<K> } = {
  // users
  createUser: { args: (aim) => [{ subject: `case-${randomUUID()}`, role: 'agent', managerId: aim.target.managerId }] },
  listDirectReportIds: { args: (aim) => [aim.target.managerId] },
  findUserInScope: { args: (aim) => [aim.scope, aim.target.agentId] },
  listCompanyUsersPage: { args: () => [page] },
  getCompanyUser: { args: (aim) => [aim.target.agentId] },
  lockCompanyUser: { args: (aim) => [aim.target.agentId] },
  insertCompanyUser: {
    args: (aim) => [{ subject: `case-${randomUUID()}`, email: null, name: null, role: 'agent', managerId: aim.target.managerId, disabled: false }],
  },
  updateCompanyUser: { args: (aim) => [aim.target.agentId, { name: 'renamed' }] },
  userOwnsCallData: { args: (aim) => [aim.target.agentId], traceless: 'answers a boolean' },
  deleteCompanyUser: { args: (aim) => [aim.target.spareUserId] },
  // companies
  getCompany: { args: () => [] },
  updateCompany: { args: () => [{ name: 'renamed' }] },
  // provider accounts and numbers
  upsertProviderAccount: {
    args: (aim) => [aim.box, { provider: 'twilio', externalId: aim.target.twilioAccountSid, secrets: { authToken: 'case' } }],
  },
  getProviderAccount: { args: () => ['twilio'] },
  listProviderAccounts: { args: () => [] },
  markProviderAccountSynced: { args: (aim) => [aim.target.twilioAccountId, new Date()] },
  lockProviderAccount: { args: () => ['vapi'] },
  markProviderAccountProven: { args: (aim) => [aim.target.vapiAccountId] },
  detachProviderAccount: { args: (aim) => [aim.target.vapiAccountId] },
  createPhoneNumber: { args: (aim) => [{ e164: '+15550399999', matchOn: 'from', ownerUserId: aim.target.agentId }] },
  listCompanyPhoneNumbersPage: { args: (aim) => [{ ownerUserId: aim.target.agentId, ...page }] },
  getCompanyPhoneNumber: { args: (aim) => [aim.target.phoneNumberId] },
  updateCompanyPhoneNumber: { args: (aim) => [aim.target.phoneNumberId, { label: 'renamed' }] },
  deleteCompanyPhoneNumber: { args: (aim) => [aim.target.phoneNumberId] },
  importCompanyNumbers: {
    args: (aim) => [
      [
        { e164: aim.target.phoneNumber, label: null },
        { e164: '+15550399998', label: null },
      ],
    ],
    traceless: 'answers counts',
  },

  // calls and recordings from providers
  upsertTwilioCall: {
    args: (aim) => [{ ownerUserId: null, accountSid: aim.target.twilioAccountSid, callSid: SHARED.callSid, status: 'completed', durationSeconds: 99 }],
  },
  upsertTwilioCalls: {
    args: (aim) => [[{ ownerUserId: null, accountSid: aim.target.twilioAccountSid, callSid: SHARED.callSid, status: 'completed', durationSeconds: 99 }]],
  },
  // A new VAPI call joining the Twilio call of the same CallSid: the join must stay in company A.
  upsertVapiCall: { args: () => [{ ownerUserId: null, vapiCallId: 'vapi-case', twilioCallSid: SHARED.callSid, status: 'ended', summary: 'case' }] },
  getCallOutcome: { args: (aim) => [aim.target.callId], traceless: 'answers the call’s status and times' },
  applyProviderRecording: {
    args: (aim) => [
      { callId: aim.target.callId, ownerUserId: null, provider: 'twilio', providerRecordingId: SHARED.recordingSid, status: 'pending', downloadable: true },
    ],
  },
  applyTwilioRecordingStatuses: {
    args: (aim) => [
      [
        {
          accountSid: aim.target.twilioAccountSid,
          callSid: SHARED.callSid,
          ownerUserId: null,
          recordingSid: SHARED.pendingRecordingSid,
          status: 'pending',
          statusReason: null,
          mediaUrl: 'https://media.example/case',
          channels: 1,
          durationSeconds: 5,
          startedAt: null,
          downloadable: true,
        },
      ],
    ],
  },
  backfillRecordingsFromCall: { args: (aim) => [callSummary(aim)] },
  backfillRecordingsFromCalls: { args: (aim) => [[callSummary(aim)]] },
  getRecordingForCompany: { args: (aim) => [aim.target.recording.id] },
  claimRecordingForFetch: { args: (aim) => [aim.target.pendingRecording.id] },
  markRecordingStored: {
    args: (aim) => [
      aim.target.fetchingRecording.id,
      { storageKey: `companies/${aim.companyId}/case.mp3`, sizeBytes: 1, sha256: 'ef'.repeat(32), format: 'mp3', channels: 1 },
    ],
  },
  markRecordingFailed: { args: (aim) => [aim.target.fetchingRecording.id, 'case'] },
  releaseRecordingFetch: { args: (aim) => [aim.target.fetchingRecording.id, 'case'] },
  findRecordingByProviderId: { args: () => ['twilio', SHARED.recordingSid] },
  lockStoredRecording: { args: (aim) => [aim.target.recording.id] },
  upsertProviderTranscript: { args: () => [{ provider: 'twilio', providerRecordingId: SHARED.recordingSid, language: 'en', text: 'case', segments: [] }] },
  getProviderTranscript: { args: () => ['twilio', SHARED.recordingSid], traceless: 'answers the transcript text' },
  upsertTranscript: {
    args: (aim) => [
      { recordingId: aim.target.recording.id, status: 'completed', source: 'case', language: 'en', text: 'case', segments: null, redactionCount: 0 },
    ],
  },
  getTranscriptForRecording: { args: (aim) => [aim.target.recording.id], traceless: 'answers the transcript, which names no id' },
  upsertCallMetrics: { args: (aim) => [{ recordingId: aim.target.recording.id, callId: aim.target.callId, metrics: { talkRatio: 0.9 } }] },
  // gateway reads and changes
  listRecordingsPage: { args: () => [recordingPage] },
  getRecordingInScope: { args: (aim) => [aim.target.recording.id] },
  countPlayback: { args: (aim) => [claimedAsOwn(aim, aim.target.recording), 'play'] },
  listCallsPage: { args: () => [recordingPage] },
  getCallInScope: { args: (aim) => [aim.target.callId] },
  listCallRecordingDetails: { args: (aim) => [{ id: aim.target.callId, company_id: aim.companyId } as InScope<Pick<Call, 'id' | 'company_id'>>] },
  lockRecordingsInScope: { args: (aim) => [[aim.target.recording.id, aim.target.pendingRecording.id]] },
  lockRecordingInScope: { args: (aim) => [aim.target.recording.id] },
  updateRecordingFields: { args: (aim) => [claimedAsOwn(aim, aim.target.recording), { starred: true, tags: ['case'] }] },
  setRecordingLegalHold: { args: (aim) => [claimedAsOwn(aim, aim.target.recording), true] },
  getTranscriptOfRecording: { args: (aim) => [claimedAsOwn(aim, aim.target.recording)] },
  searchTranscripts: { args: () => [{ q: SHARED.word, limit: 50, after: null }] },
  readDailyStats: { args: () => [stats], traceless: 'answers sums per day' },
  listRecordingChanges: { args: () => [{ kind: 'beginning' }, 50] },
  listCallChanges: { args: () => [{ kind: 'beginning' }, 50] },
  listTranscriptChanges: { args: () => [{ kind: 'beginning' }, 50] },
  listAuditEventsPage: { args: () => [page] },
  insertAuditEvent: { args: (aim) => [auditEvent(aim)] },
  insertAuditEvents: { args: (aim) => [[auditEvent(aim)]] },
  // deletion, retention and erasure
  tombstoneRecordings: { args: (aim) => [[claimedAsOwn(aim, aim.target.recording)], 'case'] },
  clearRemovedObject: {
    args: (aim) => [{ recordingId: aim.target.deletedRecording.id, companyId: aim.companyId, storageKey: aim.target.deletedRecording.storage_key! }],
  },
  countExpiredRecordings: { args: () => [new Date('2030-01-01')], traceless: 'answers counts' },
  lockExpiredRecordings: { args: () => [new Date('2030-01-01'), 50] },
  eraseCallContent: { args: (aim) => [[claimedAsOwn(aim, aim.target.recording)], new Set()] },
  listCallsUnderHold: { args: (aim) => [[claimedAsOwn(aim, aim.target.pendingRecording)]] },
  lockCallPayloads: { args: (aim) => [[claimedAsOwn(aim, aim.target.recording)]] },
  storeRedactedPayload: { args: (aim) => [aim.target.webhookEventId, { redacted: true }, new Date()] },
  // data subjects
  listSubjectCallsPage: { args: () => [SHARED.caller, { afterId: null, limit: 50 }] },
  countSubjectCalls: { args: () => [SHARED.caller], traceless: 'answers a count' },
  loadSubjectCallDetails: { args: (aim) => [[{ ...aim.target.call, company_id: aim.companyId }]] },
  lockSubjectRecordings: { args: () => [SHARED.caller] },
  lockHeldRecordingsMentioning: { args: () => [SHARED.caller] },
  eraseSubjectNumber: { args: () => [SHARED.caller] },
  // offboarding export
  listCompanyRowsPage: { args: () => ['recordings', { afterId: null, limit: 50 }] },
  // jobs and idempotency
  insertOutboxJobs: { args: (aim) => [[{ queue: 'case', jobId: `case-${randomUUID()}`, payload: { companyId: aim.target.companyId } }]] },
  claimIdempotencyKey: {
    args: (aim) => [{ companyId: aim.companyId, principal: `user:${aim.target.adminId}` }, SHARED.idempotencyKey, 'other-hash'],
    traceless: 'answers how the earlier request with the key went',
  },
  completeIdempotencyKey: { args: (aim) => [aim.target.idempotencyKeyId, { status: 200, contentType: null, body: 'case' }] },
  releaseIdempotencyKey: { args: (aim) => [aim.target.idempotencyKeyId] },
  // API keys and outbound webhooks
  insertApiKey: {
    args: (aim) => [
      {
        userId: aim.target.adminId,
        name: 'case',
        role: 'agent',
        readOnly: true,
        tokenHash: randomUUID(),
        tokenPrefix: 'cv_case',
        expiresAt: null,
        createdByUserId: null,
      },
    ],
  },
  listApiKeysPage: { args: () => [page] },
  getApiKey: { args: (aim) => [aim.target.apiKey.id] },
  revokeApiKey: { args: (aim) => [aim.target.apiKey.id] },
  endRotatedApiKey: { args: (aim) => [aim.target.apiKey.id, aim.target.apiKey.id, new Date('2030-01-01')] },
  insertEventDeliveries: { args: () => ['recording.stored', { case: true }] },
  insertWebhookEndpoint: { args: () => [{ url: 'https://hooks.example/case', description: null, eventTypes: ['recording.stored'] }, () => 'sealed'] },
  listWebhookEndpointsPage: { args: () => [page] },
  getWebhookEndpoint: { args: (aim) => [aim.target.endpoint.id] },
  updateWebhookEndpoint: { args: (aim) => [aim.target.endpoint.id, { description: 'case', enabled: false }] },
  deleteWebhookEndpoint: { args: (aim) => [aim.target.endpoint.id] },
  listWebhookDeliveriesPage: { args: (aim) => [aim.target.endpoint.id, page] },
  getDeliveryWithEndpoint: { args: (aim) => [aim.target.delivery.id] },
  requeueDelivery: { args: (aim) => [aim.target.endpoint.id, aim.target.delivery.id] },
  recordDeliveryAttempt: {
    args: (aim) => [
      { ...aim.target.delivery, company_id: aim.companyId },
      { statusCode: 500, error: null, latencyMs: 1, responseExcerpt: null, delivered: false, final: true },
      1,
    ],
  },
  // intelligence and redaction
  getIntelligenceSettings: { args: () => [], traceless: 'answers the settings, which name no id' },
  getSpeechToTextChoice: { args: () => [], traceless: 'answers the choice' },
  upsertIntelligenceSettings: { args: () => [{ enabled: false, scorecardQuestions: [], modelBaseUrl: null, modelName: 'case' }] },

  setSpeechToTextChoice: { args: () => ['none'] },
  getCallAnalysis: { args: (aim) => [aim.companyId, aim.target.recording.id], traceless: 'answers the analysis, which names no id' },
  storeCallAnalysis: { args: (aim) => [{ recordingId: aim.target.recording.id, callId: aim.target.callId, model: 'case', result: { summary: 'case' } }] },
  recordCallAnalysisFailure: { args: (aim) => [{ recordingId: aim.target.recording.id, callId: aim.target.callId, error: 'case' }] },
  addModelUsage: { args: () => [{ model: SHARED.model, promptTokens: 1, completionTokens: 1 }] },
  listModelUsage: { args: () => [], traceless: 'answers totals per model and day' },
  listCallAnalysisSummaries: { args: (aim) => [[aim.target.callId]] },
  listRecordingAnalyses: { args: (aim) => [aim.companyId, [aim.target.recording.id]] },
  readScorecardCounts: { args: () => [stats], traceless: 'answers counts' },
  readModelUsageTotals: { args: () => [stats], traceless: 'answers totals' },
  listRedactionPatterns: { args: () => [], traceless: 'answers the patterns, which name no id' },
  replaceRedactionPatterns: { args: () => [[{ name: 'case', source: 'x', placeholder: '[x]' }]] },
};
