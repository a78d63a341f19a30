import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countPlayback,
  eraseCallContent,
  getCallAnalysis,
  getTranscriptOfRecording,
  insertAuditEvents,
  insertOutboxJobs,
  listCallsUnderHold,
  listRecordingAnalyses,
  lockCallPayloads,
  setRecordingLegalHold,
  tombstoneRecordings,
  updateRecordingFields,
  withCompany,
  withPlatform,
  clearRemovedObject,
  type InScope,
  type Recording,
  type ScopedTx,
} from '@callvault/db';
import { createTestEnvironment, seedCompany, type TestEnvironment } from '@callvault/testing';

/**
 * The repositories that are handed rows (or a company id) work on the company those name. In a
 * company transaction that must be the transaction's own company: a row of another company,
 * however it was obtained, is refused before any statement runs.
 */
let env: TestEnvironment;
let ownCompany: string;
let otherCompany: string;

/** A row of the other company, as a caller with a bug (or a forged brand) would hand it on. */
const foreign = () =>
  ({
    id: randomUUID(),
    company_id: otherCompany,
    call_id: randomUUID(),
    provider: 'twilio',
    provider_recording_id: `RE${randomUUID().replaceAll('-', '')}`,
  }) as InScope<Recording>;

const handedAnotherCompany: Record<string, (tx: ScopedTx) => Promise<unknown>> = {
  countPlayback: (tx) => countPlayback(tx, foreign(), 'play'),
  updateRecordingFields: (tx) => updateRecordingFields(tx, foreign(), { starred: true }),
  setRecordingLegalHold: (tx) => setRecordingLegalHold(tx, foreign(), true),
  getTranscriptOfRecording: (tx) => getTranscriptOfRecording(tx, foreign()),
  tombstoneRecordings: (tx) => tombstoneRecordings(tx, [foreign()], 'test'),
  clearRemovedObject: (tx) => clearRemovedObject(tx, { recordingId: randomUUID(), companyId: otherCompany, storageKey: 'x' }),
  eraseCallContent: (tx) => eraseCallContent(tx, [foreign()], new Set()),
  listCallsUnderHold: (tx) => listCallsUnderHold(tx, [foreign()]),
  lockCallPayloads: (tx) => lockCallPayloads(tx, [foreign()]),
  getCallAnalysis: (tx) => getCallAnalysis(tx, otherCompany, randomUUID()),
  listRecordingAnalyses: (tx) => listRecordingAnalyses(tx, otherCompany, [randomUUID()]),
  insertAuditEvents: (tx) =>
    insertAuditEvents(tx, [
      {
        companyId: otherCompany,
        actorUserId: null,
        actorSubject: 'test',
        actorRole: 'company_admin',
        action: 'test',
        targetType: 'user',
        targetId: null,
        ip: null,
        userAgent: null,
      },
    ]),
  insertOutboxJobs: (tx) =>
    insertOutboxJobs(tx, [{ queue: 'analytics', jobId: randomUUID(), payload: { companyId: otherCompany, recordingId: randomUUID() } }]),
};

beforeAll(async () => {
  env = await createTestEnvironment();
  ownCompany = (await seedCompany(env, 'Own')).id;
  otherCompany = (await seedCompany(env, 'Other')).id;
});

afterAll(async () => env?.close());

describe("a company transaction is handed only its own company's rows", () => {
  it.each(Object.keys(handedAnotherCompany))('%s refuses a row of another company', async (name) => {
    await expect(withCompany(env.db, ownCompany, (tx) => handedAnotherCompany[name]!(tx))).rejects.toThrow(
      `${name}: company ${otherCompany} named in company ${ownCompany}'s transaction`,
    );
  });

  it('lets a platform transaction name any company (offboarding, retention and erasure work across companies)', async () => {
    await expect(withPlatform(env.db, (tx) => getCallAnalysis(tx, otherCompany, randomUUID()))).resolves.toBeUndefined();
    await expect(withPlatform(env.db, (tx) => listCallsUnderHold(tx, [foreign()]))).resolves.toEqual(new Set());
  });
});
