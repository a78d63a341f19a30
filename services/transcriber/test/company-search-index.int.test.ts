import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTranscripts, upsertTranscript, withCompany, withPlatform, withReadScope, type ReadScope, type ScopedTx } from '@callvault/db';
import { createTestEnvironment, seedCompany, seedUser, type TestEnvironment } from '@callvault/testing';
import { seedRecording } from './transcriber-test-kit';

/**
 * A company-wide search reads the company search index (migration 0026); an owner-scoped or
 * platform-wide one tests each transcript in scope. Both must give the same answer, the index must
 * follow every change of a transcript or its recording, and it must answer for the calling
 * transaction's company only.
 */
let env: TestEnvironment;
let companyA: string;
let companyB: string;
let agentA: string;

async function transcribe(companyId: string, recordingId: string, text: string, status: 'completed' | 'failed' = 'completed') {
  await withCompany(env.db, companyId, (tx) =>
    upsertTranscript(tx, { recordingId, status, source: 'twilio', language: 'en', text, segments: [], redactionCount: 0 }),
  );
}

async function transcribed(companyId: string, ownerUserId: string | null, text: string): Promise<string> {
  const { recording } = await seedRecording(env, companyId, { provider: 'twilio', ownerUserId });
  await transcribe(companyId, recording.id, text);
  return recording.id;
}

function search(scope: ReadScope, q: string, limit = 100) {
  return withReadScope(env.db, scope, (tx) => searchTranscripts(tx, { q, limit, after: null }));
}

const adminOf = (companyId: string): ReadScope => ({ kind: 'company', companyId, ownerUserIds: null });
const everyCompany: ReadScope = { kind: 'platform', companyId: null };

/** What the index function itself answers in a transaction, with no join back to the tables. */
const indexed = (tx: ScopedTx, q: string) =>
  sql<{ recording_id: string }>`SELECT recording_id FROM callvault_company_search(websearch_to_tsquery('simple', ${q}), NULL, NULL, 1000)`
    .execute(tx)
    .then((result) => result.rows.map((row) => row.recording_id).sort());

beforeAll(async () => {
  env = await createTestEnvironment();
  companyA = (await seedCompany(env, 'A')).id;
  companyB = (await seedCompany(env, 'B')).id;
  agentA = (await seedUser(env, companyA, 'agent')).id;
  const words = ['refund', 'invoice', 'refund refund', 'delivery', 'refund invoice', 'refund of the invoice', 'a late refund'];
  for (const [index, text] of words.entries()) await transcribed(companyA, index % 2 ? agentA : null, `${text} call ${index}`);
  for (const text of ['refund', 'refund invoice']) await transcribed(companyB, null, text);
}, 60_000);

afterAll(async () => env?.close());

describe('the company search index (company-wide searches)', () => {
  it('answers exactly what testing every transcript in scope answers: the same hits, ranks and order', async () => {
    for (const q of ['refund', 'invoice', 'refund invoice', '"late refund"', 'refund OR delivery', 'refund -invoice', 'nothing']) {
      for (const companyId of [companyA, companyB]) {
        const fromIndex = await search(adminOf(companyId), q);
        const tested = (await search(everyCompany, q)).filter((hit) => hit.companyId === companyId);
        expect(
          fromIndex.map((hit) => [hit.recordingId, hit.sort_value, hit.snippet]),
          q,
        ).toEqual(tested.map((hit) => [hit.recordingId, hit.sort_value, hit.snippet]));
      }
    }
    expect((await search(adminOf(companyA), 'refund')).length).toBe(5);
  });

  it('follows the transcript: new words, a failed transcript, a deleted transcript, a deleted recording', async () => {
    const id = await transcribed(companyA, null, 'zebra crossing');
    expect((await search(adminOf(companyA), 'zebra')).map((hit) => hit.recordingId)).toEqual([id]);

    await transcribe(companyA, id, 'giraffe crossing');
    expect(await search(adminOf(companyA), 'zebra')).toEqual([]);
    expect((await search(adminOf(companyA), 'giraffe')).map((hit) => hit.recordingId)).toEqual([id]);

    await transcribe(companyA, id, 'giraffe crossing', 'failed');
    expect(await withCompany(env.db, companyA, (tx) => indexed(tx, 'giraffe'))).toEqual([]);
    expect(await search(adminOf(companyA), 'giraffe')).toEqual([]);
    await transcribe(companyA, id, 'giraffe crossing');
    expect(await search(adminOf(companyA), 'giraffe')).toHaveLength(1);

    await env.ownerDb.deleteFrom('transcripts').where('recording_id', '=', id).execute();
    expect(await withCompany(env.db, companyA, (tx) => indexed(tx, 'giraffe'))).toEqual([]);

    const other = await transcribed(companyA, null, 'okapi crossing');
    expect(await withCompany(env.db, companyA, (tx) => indexed(tx, 'okapi'))).toEqual([other]);
    await env.ownerDb.updateTable('recordings').set({ status: 'deleted' }).where('id', '=', other).execute();
    expect(await withCompany(env.db, companyA, (tx) => indexed(tx, 'okapi'))).toEqual([]);
  });

  it('never answers with a transcript saved while its recording was being marked deleted', async () => {
    const id = (await seedRecording(env, companyA, { provider: 'twilio', ownerUserId: null })).recording.id;
    let marked!: () => void;
    const markedDeleted = new Promise<void>((resolve) => (marked = resolve));
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    // A plain update, without the FOR UPDATE lock the deletion paths take first (which would make
    // the save wait on its foreign-key check): the save's trigger still sees the recording as it
    // was, so the copy may hold it; the search function must skip it.
    const deleting = withCompany(env.db, companyA, async (tx) => {
      await tx.updateTable('recordings').set({ status: 'deleted' }).where('company_id', '=', companyA).where('id', '=', id).execute();
      marked();
      await committing;
    });
    await markedDeleted;
    const saving = transcribe(companyA, id, 'wombat crossing');
    await new Promise((resolve) => setTimeout(resolve, 300));
    commit();
    await Promise.all([deleting, saving]);
    expect(await withCompany(env.db, companyA, (tx) => indexed(tx, 'wombat'))).toEqual([]);
  });

  it("answers for the transaction's own company only, and for no company in a platform transaction", async () => {
    const ofA = await withCompany(env.db, companyA, (tx) => indexed(tx, 'refund'));
    const ofB = await withCompany(env.db, companyB, (tx) => indexed(tx, 'refund'));
    expect(ofA).toHaveLength(5);
    expect(ofB).toHaveLength(2);
    expect(ofA.filter((id) => ofB.includes(id))).toEqual([]);
    expect(await withPlatform(env.db, (tx) => indexed(tx, 'refund'))).toEqual([]);
    // A superadmin looking at one company works in that company's transaction: its hits only.
    const superadminOnB = await search({ kind: 'platform', companyId: companyB }, 'refund');
    expect(superadminOnB.map((hit) => hit.recordingId).sort()).toEqual(ofB);
  });
});
