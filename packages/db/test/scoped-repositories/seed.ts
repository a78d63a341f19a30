import { randomBytes, randomUUID } from 'node:crypto';
import {
  addModelUsage,
  applyProviderRecording,
  claimRecordingForFetch,
  claimIdempotencyKey,
  companyWideRead,
  insertApiKey,
  insertAuditEvent,
  insertEventDeliveries,
  insertOutboxJobs,
  insertWebhookEndpoint,
  insertWebhookEvent,
  lockRecordingInScope,
  lockRecordingsInScope,
  markRecordingStored,
  recordDeliveryAttempt,
  refreshDirtyRollups,
  replaceRedactionPatterns,
  setSpeechToTextChoice,
  setRecordingLegalHold,
  storeCallAnalysis,
  tombstoneRecordings,
  upsertCallMetrics,
  upsertIntelligenceSettings,
  upsertProviderTranscript,
  upsertTranscript,
  upsertTwilioCall,
  upsertVapiCall,
  withCompany,
  withPlatform,
  type ApiKey,
  type Call,
  type Recording,
  type SpeechToTextChoice,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '@callvault/db';
import { fakeSid, seedCompany, seedPhoneNumber, seedTwilioAccount, seedUser, seedVapiAccount, type TestEnvironment } from '@callvault/testing';

/**
 * What both companies hold under the same natural keys (call and recording sids, VAPI ids, the
 * caller's number, transcript words): a lookup by one of them that forgets its company filter
 * finds the other company's row as readily as its own.
 */
export const SHARED = {
  callSid: fakeSid('CA'),
  vapiCallId: randomUUID(),
  recordingSid: fakeSid('RE'),
  pendingRecordingSid: fakeSid('RE'),
  deletedRecordingSid: fakeSid('RE'),
  fetchingRecordingSid: fakeSid('RE'),
  vapiRecordingId: `vapi-${randomUUID()}`,
  caller: '+15550100001',
  word: 'pineapple',
  day: '2026-03-02',
  startedAt: new Date('2026-03-02T10:00:00Z'),
  idempotencyKey: 'same-key',
  model: 'gpt-test',
} as const;

/** One company's seeded rows: what a case aims at (its own, or the other company's). */
export interface SeededCompany {
  companyId: string;
  adminId: string;
  managerId: string;
  agentId: string;
  /** A user who owns nothing and can be deleted. */
  spareUserId: string;
  twilioAccountSid: string;
  twilioAccountId: string;
  vapiAccountId: string;
  phoneNumberId: string;
  phoneNumber: string;
  callId: string;
  /** The Twilio call, as a page of calls hands it on. */
  call: Call;
  vapiCallId: string;
  recording: Recording;
  /** Of the VAPI call: pending, under legal hold, without the call's parties. */
  pendingRecording: Recording;
  /** Claimed by a fetcher. */
  fetchingRecording: Recording;
  deletedRecording: Recording;
  apiKey: ApiKey;
  endpoint: WebhookEndpoint;
  delivery: WebhookDelivery;
  webhookEventId: string;
  idempotencyKeyId: string;
}

const recordingRow = (env: TestEnvironment, companyId: string, id: string) =>
  env.ownerDb.selectFrom('recordings').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirstOrThrow();

/**
 * Seeds one company through the repositories themselves, under RLS as the services would, so
 * that every company-owned table holds rows of it. `numberSuffix` keeps its lines unique and, with
 * `speechToText`, makes what names no id (texts, settings) tell the two companies apart.
 */
export async function seedCompanyRows(env: TestEnvironment, numberSuffix: string, speechToText: SpeechToTextChoice): Promise<SeededCompany> {
  const company = await seedCompany(env);
  const companyId = company.id;
  const admin = await seedUser(env, companyId, 'company_admin');
  const manager = await seedUser(env, companyId, 'manager');
  const agent = await seedUser(env, companyId, 'agent', { managerId: manager.id });
  const spare = await seedUser(env, companyId, 'agent');
  const twilio = await seedTwilioAccount(env, companyId);
  const vapi = await seedVapiAccount(env, companyId, { apiKey: 'vapi-key' });
  const number = await seedPhoneNumber(env, companyId, { e164: `+1555020${numberSuffix}`, matchOn: 'to', ownerUserId: agent.id });

  const ids = await withCompany(env.db, companyId, async (tx) => {
    const facts = { ownerUserId: agent.id, from: SHARED.caller, to: number.e164, direction: 'inbound', startedAt: SHARED.startedAt };
    const call = await upsertTwilioCall(tx, { ...facts, accountSid: twilio.external_id, callSid: SHARED.callSid, status: 'completed', durationSeconds: 60 });
    const vapiCall = await upsertVapiCall(tx, {
      ...facts,
      vapiCallId: SHARED.vapiCallId,
      twilioCallSid: null,
      status: 'ended',
      summary: `about ${SHARED.word}`,
    });
    const recordingOf = (callId: string, providerRecordingId: string, known: Partial<typeof facts> = facts) =>
      applyProviderRecording(tx, {
        ...known,
        ownerUserId: agent.id,
        callId,
        provider: 'twilio',
        providerRecordingId,
        status: 'pending',
        mediaUrl: 'https://media.example/r',
        downloadable: true,
      });
    const storedAs = async (recordingId: string, name: string) => {
      await claimRecordingForFetch(tx, recordingId);
      await markRecordingStored(tx, recordingId, {
        storageKey: `companies/${companyId}/${name}.mp3`,
        sizeBytes: 10,
        sha256: 'ab'.repeat(32),
        format: 'mp3',
        channels: 2,
      });
    };
    const stored = await recordingOf(call.id, SHARED.recordingSid);
    await storedAs(stored.recordingId, 'stored');
    // On the VAPI call, under legal hold (below): the Twilio call's payload stays erasable. It knows
    // nothing of its call's parties yet: a backfill from the call has something to write.
    const pending = await recordingOf(vapiCall.id, SHARED.pendingRecordingSid, {});
    const fetching = await recordingOf(call.id, SHARED.fetchingRecordingSid);
    await claimRecordingForFetch(tx, fetching.recordingId);
    const deleted = await recordingOf(vapiCall.id, SHARED.deletedRecordingSid);
    await storedAs(deleted.recordingId, 'deleted');
    const said = `a ${SHARED.word} please, ${numberSuffix}`;
    const segments = [{ speaker: 'caller', startSeconds: 0, endSeconds: 2, text: said }];
    for (const recordingId of [stored.recordingId, deleted.recordingId]) {
      await upsertTranscript(tx, { recordingId, status: 'completed', source: 'test', language: 'en', text: said, segments, redactionCount: 0 });
      await upsertCallMetrics(tx, { recordingId, callId: call.id, metrics: { talkRatio: 0.5 } });
      await storeCallAnalysis(tx, {
        recordingId,
        callId: call.id,
        model: SHARED.model,
        result: { summary: `${SHARED.word} ${numberSuffix}`, topics: ['fruit'] },
      });
    }
    // A deleted recording leaves a tombstone in the change feed (its transcript is hard-deleted).
    const inScope = companyWideRead(tx);
    await tombstoneRecordings(tx, await lockRecordingsInScope(inScope, [deleted.recordingId]), 'seed');
    await setRecordingLegalHold(tx, (await lockRecordingInScope(inScope, pending.recordingId))!, true);
    await upsertProviderTranscript(tx, {
      provider: 'twilio',
      providerRecordingId: SHARED.recordingSid,
      language: 'en',
      text: `${SHARED.word} ${numberSuffix}`,
      segments,
    });
    await upsertIntelligenceSettings(tx, {
      enabled: true,
      scorecardQuestions: [{ id: 'q1', text: 'Polite?' }],
      modelBaseUrl: null,
      modelName: `model-${numberSuffix}`,
    });
    await setSpeechToTextChoice(tx, speechToText);
    await addModelUsage(tx, { model: SHARED.model, promptTokens: 10, completionTokens: 5 });
    await replaceRedactionPatterns(tx, [{ name: `cards-${numberSuffix}`, source: '\\d{16}', placeholder: '[card]' }]);
    await insertAuditEvent(tx, {
      companyId,
      actorUserId: admin.id,
      actorSubject: admin.subject,
      actorRole: 'company_admin',
      action: 'seed',
      targetType: 'call',
      targetId: call.id,
      ip: null,
      userAgent: null,
    });
    const apiKey = await insertApiKey(tx, {
      userId: admin.id,
      name: 'seed',
      role: 'company_admin',
      readOnly: false,
      tokenHash: randomBytes(32).toString('hex'),
      tokenPrefix: 'cv_seed',
      expiresAt: null,
      createdByUserId: admin.id,
    });
    const endpoint = await insertWebhookEndpoint(
      tx,
      { url: `https://hooks.example/${numberSuffix}`, description: null, eventTypes: ['recording.stored'] },
      () => 'sealed',
    );
    const [deliveryId] = await insertEventDeliveries(tx, 'recording.stored', { recordingId: stored.recordingId });
    const delivery = await tx
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('id', '=', deliveryId!)
      .executeTakeFirstOrThrow();
    const attempt = { statusCode: 500, error: null, latencyMs: 5, responseExcerpt: null, delivered: false, final: false };
    await recordDeliveryAttempt(tx, delivery, attempt, 10);
    await insertOutboxJobs(tx, [{ queue: 'seed', jobId: `seed-${companyId}`, payload: { companyId } }]);
    const claim = await claimIdempotencyKey(tx, { companyId, principal: `user:${admin.id}` }, SHARED.idempotencyKey, 'hash');
    if (claim.outcome !== 'claimed') throw new Error('seed: idempotency key not claimed');
    return {
      callId: call.id,
      vapiCallId: vapiCall.id,
      stored,
      pending,
      fetching,
      deleted,
      apiKey,
      endpoint,
      deliveryId: deliveryId!,
      idempotencyKeyId: claim.id,
    };
  });
  const eventOf = (provider: 'twilio' | 'vapi', callRef: string) =>
    withPlatform(env.db, (tx) =>
      insertWebhookEvent(tx, {
        companyId,
        provider,
        eventType: 'call.status',
        idempotencyKey: `seed-${provider}-${companyId}`,
        status: 'accepted',
        externalAccountId: provider === 'twilio' ? twilio.external_id : vapi.external_id,
        callRef,
        payload: { call: callRef, from: SHARED.caller },
        requestPath: `/${provider}/status`,
        ownerUserId: agent.id,
      }),
    );
  const event = await eventOf('twilio', SHARED.callSid);
  await eventOf('vapi', SHARED.vapiCallId);
  return {
    companyId,
    adminId: admin.id,
    managerId: manager.id,
    agentId: agent.id,
    spareUserId: spare.id,
    twilioAccountSid: twilio.external_id,
    twilioAccountId: twilio.id,
    vapiAccountId: vapi.id,
    phoneNumberId: number.id,
    phoneNumber: number.e164,
    callId: ids.callId,
    call: await env.ownerDb.selectFrom('calls').selectAll().where('id', '=', ids.callId).executeTakeFirstOrThrow(),
    vapiCallId: ids.vapiCallId,
    recording: await recordingRow(env, companyId, ids.stored.recordingId),
    pendingRecording: await recordingRow(env, companyId, ids.pending.recordingId),
    fetchingRecording: await recordingRow(env, companyId, ids.fetching.recordingId),
    deletedRecording: await recordingRow(env, companyId, ids.deleted.recordingId),
    apiKey: ids.apiKey,
    endpoint: ids.endpoint,
    delivery: await env.ownerDb.selectFrom('webhook_deliveries').selectAll().where('id', '=', ids.deliveryId).executeTakeFirstOrThrow(),
    webhookEventId: event!.id,
    idempotencyKeyId: ids.idempotencyKeyId,
  };
}

/**
 * Both companies, then the rollups refreshed and one more change each, so that daily_rollups and
 * rollup_dirty_days both hold rows of each.
 */
export async function seedTwoCompanies(env: TestEnvironment): Promise<{ a: SeededCompany; b: SeededCompany }> {
  // B first: a scan that forgets its company filter then meets B's rows before A's.
  const b = await seedCompanyRows(env, '02', 'openai');
  const a = await seedCompanyRows(env, '01', 'none');
  await withPlatform(env.db, (tx) => refreshDirtyRollups(tx, 1000));
  for (const company of [a, b])
    await withCompany(env.db, company.companyId, (tx) =>
      upsertTwilioCall(tx, {
        ownerUserId: company.agentId,
        accountSid: company.twilioAccountSid,
        callSid: fakeSid('CA'),
        status: 'ringing',
        startedAt: SHARED.startedAt,
      }),
    );
  return { a, b };
}
