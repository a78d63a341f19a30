import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverTwilioWebhook } from '@callvault/simulator';
import { fakeSid, seedCompany, seedTwilioAccount } from '@callvault/testing';
import { createFetchRedrive } from '../src/fetch-redrive';
import { BACKFILL_PRIORITY } from '../src/sync/provider-sync.processor';
import { startIngest, type IngestHarness } from './ingest-harness';

/**
 * Redis without persistence forgets waiting jobs on restart; Postgres still knows the fetch was
 * promised. The re-drive brings back exactly the lost fetches, in the backfill lane, and leaves
 * jobs that still exist, recordings already stored and recordings never meant to be fetched alone.
 */
const completed = Object.fromEntries(new URLSearchParams(readFileSync(new URL('../../../packages/testing/fixtures/twilio/recording-status-completed.form', import.meta.url), 'utf8').trim()));

let ingest: IngestHarness;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(async () => ingest?.close());

async function deliver(account: { external_id: string; authToken: string }, overrides: Record<string, string>) {
  const params = { ...completed, AccountSid: account.external_id, CallSid: fakeSid('CA'), RecordingSid: fakeSid('RE'), ...overrides };
  const response = await deliverTwilioWebhook({ publicBaseUrl: ingest.env.config.PUBLIC_BASE_URL, targetBaseUrl: ingest.url, path: '/webhooks/twilio/recording-status', authToken: account.authToken, params });
  expect(response.status).toBe(204);
  await ingest.settled();
  return ingest.env.ownerDb.selectFrom('recordings').selectAll().where('provider_recording_id', '=', params.RecordingSid).executeTakeFirstOrThrow();
}

/** As if the fetch had been decided, and nothing had happened since, 20 minutes ago. */
async function age(recordingIds: string[]) {
  await ingest.env.ownerDb
    .updateTable('recordings')
    .set({ fetch_requested_at: sql<Date>`fetch_requested_at - interval '20 minutes'`, updated_at: sql<Date>`now() - interval '20 minutes'` })
    .where('id', 'in', recordingIds)
    .execute();
}

describe('fetch re-drive', () => {
  it('re-enqueues only the fetches whose jobs are gone, once per period', async () => {
    const company = await seedCompany(ingest.env);
    const account = await seedTwilioAccount(ingest.env, company.id);
    const queue = ingest.producer.queue('recording-fetch');
    const lost = await deliver(account, {});
    const waiting = await deliver(account, {});
    const stored = await deliver(account, {});
    const inProgress = await deliver(account, { RecordingStatus: 'in-progress' });
    expect(lost.fetch_requested_at).not.toBeNull();
    expect(inProgress.fetch_requested_at).toBeNull();

    // Redis forgets two jobs; one recording was archived meanwhile.
    await queue.remove(`fetch-${lost.id}`);
    await queue.remove(`fetch-${stored.id}`);
    await ingest.env.ownerDb.updateTable('recordings').set({ status: 'stored' }).where('id', '=', stored.id).execute();
    await age([lost.id, waiting.id, stored.id, inProgress.id]);

    const redrive = createFetchRedrive({ db: ingest.env.db, producer: ingest.producer, log: ingest.env.log, stalledAfterSeconds: 600 });
    const waitingJob = await queue.getJob(`fetch-${waiting.id}`);
    // Both stalled recordings are enqueued again; for the one whose job still exists that is a no-op.
    expect(await redrive.runOnce()).toBe(2);

    const revived = await queue.getJob(`fetch-${lost.id}`);
    expect(revived?.data).toEqual({ companyId: company.id, recordingId: lost.id });
    expect(revived?.opts.priority).toBe(BACKFILL_PRIORITY);
    // The job that still existed is the same job, not a second one.
    expect((await queue.getJob(`fetch-${waiting.id}`))?.timestamp).toBe(waitingJob?.timestamp);
    expect(await queue.getJob(`fetch-${stored.id}`)).toBeUndefined();
    expect(await queue.getJob(`fetch-${inProgress.id}`)).toBeUndefined();

    // Re-driven fetches start a new period: the next pass leaves them alone.
    expect(await redrive.runOnce()).toBe(0);
  });
});
