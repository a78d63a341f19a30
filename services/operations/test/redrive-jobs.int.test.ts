import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProviderRecording, upsertTwilioCall, upsertTranscript, withCompany } from '@callvault/db';
import { BACKFILL_PRIORITY } from '@callvault/events';
import { connectProducer, type Producer } from '@callvault/queue';
import { createOutboxRelay, type DrainLoop } from '@callvault/service-kit';
import { createTestEnvironment, fakeSid, fakeTwilioAccountSid, seedCompany, type TestEnvironment } from '@callvault/testing';
import { redriveJobs } from '../src/tasks/redrive-jobs';

/**
 * Redis without persistence forgets waiting jobs on restart; Postgres still knows what was
 * promised. The re-drive brings back exactly the lost jobs (fetches in the backfill lane, and the
 * transcription and analytics of stored recordings that never got them), through the outbox,
 * and leaves jobs that still exist and recordings never meant to be fetched alone.
 */
let env: TestEnvironment;
let producer: Producer;
let relay: DrainLoop;

beforeAll(async () => {
  env = await createTestEnvironment();
  producer = connectProducer(env.redis, env.config.QUEUE_PREFIX);
  relay = createOutboxRelay({ db: env.db, producer, log: env.log });
});

afterAll(async () => {
  await relay?.stop();
  await producer?.close();
  await env?.close();
});

/** A recording callvault decided to fetch (or not), with its fetch job in Redis when it was decided. */
async function recording(companyId: string, downloadable: boolean) {
  const recordingId = await withCompany(env.db, companyId, async (tx) => {
    const call = await upsertTwilioCall(tx, { accountSid: fakeTwilioAccountSid(), callSid: fakeSid('CA'), ownerUserId: null });
    const result = await applyProviderRecording(tx, {
      callId: call.id,
      ownerUserId: null,
      provider: 'twilio',
      providerRecordingId: fakeSid('RE'),
      status: 'pending',
      downloadable,
    });
    return result.recordingId;
  });
  if (downloadable) await producer.queue('recording-fetch').add('recording-fetch', { companyId, recordingId }, { jobId: `fetch-${recordingId}` });
  return recordingId;
}

/**
 * As if the fetch had been decided (or the recording stored), and nothing had happened since, 20
 * minutes ago. The change feed's trigger stamps `updated_at` on every update, so it is switched off
 * for this one transaction (replica mode skips ordinary triggers) to write a time in the past.
 */
async function age(recordingIds: string[]) {
  await env.ownerDb.transaction().execute(async (tx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    await tx
      .updateTable('recordings')
      .set({
        fetch_requested_at: sql<Date>`fetch_requested_at - interval '20 minutes'`,
        stored_at: sql<Date>`stored_at - interval '20 minutes'`,
        updated_at: sql<Date>`now() - interval '20 minutes'`,
      })
      .where('id', 'in', recordingIds)
      .execute();
  });
}

describe('job re-drive', () => {
  it('re-enqueues only the jobs that are gone, once per period, through the outbox', async () => {
    const company = await seedCompany(env);
    const fetches = producer.queue('recording-fetch');
    const [lost, waiting, stored, notYet] = [
      await recording(company.id, true),
      await recording(company.id, true),
      await recording(company.id, true),
      await recording(company.id, false),
    ];
    // Redis forgets two jobs; one recording was archived meanwhile (and got its transcript, not its metrics).
    await fetches.remove(`fetch-${lost}`);
    await fetches.remove(`fetch-${stored}`);
    await env.ownerDb
      .updateTable('recordings')
      .set({ status: 'stored', stored_at: new Date(), storage_key: `companies/${company.id}/recordings/x/${stored}.mp3` })
      .where('id', '=', stored)
      .execute();
    await withCompany(env.db, company.id, (tx) =>
      upsertTranscript(tx, { recordingId: stored, status: 'unavailable', source: null, language: null, text: null, segments: null, redactionCount: 0 }),
    );
    await age([lost, waiting, stored, notYet]);
    const waitingJob = await fetches.getJob(`fetch-${waiting}`);

    expect(await redriveJobs(env.db, 600)).toEqual({ fetches: 2, transcriptions: 0, analyses: 1 });
    await relay.settled();
    const revived = await fetches.getJob(`fetch-${lost}`);
    expect(revived?.data).toEqual({ companyId: company.id, recordingId: lost });
    expect(revived?.opts.priority).toBe(BACKFILL_PRIORITY);
    // The job that still existed is the same job, not a second one.
    expect((await fetches.getJob(`fetch-${waiting}`))?.timestamp).toBe(waitingJob?.timestamp);
    expect(await fetches.getJob(`fetch-${stored}`)).toBeUndefined();
    expect(await fetches.getJob(`fetch-${notYet}`)).toBeUndefined();
    expect((await producer.queue('analytics').getJob(`analyze-${stored}`))?.data).toEqual({ companyId: company.id, recordingId: stored });
    expect(await producer.queue('transcription').getJob(`transcribe-${stored}`)).toBeUndefined();

    // Re-driven fetches start a new period: the next pass leaves them alone.
    expect((await redriveJobs(env.db, 600)).fetches).toBe(0);
  });
});
