/**
 * Where the Postgres time of a webhook's effects goes: batches of recording callbacks (a new call
 * and recording each, as in bench/ingest/run.ts) stored as accepted events, then applied phase by
 * phase the way the effects loop does, each phase timed on its own:
 *   claim   SELECT … FOR UPDATE SKIP LOCKED of the oldest unapplied events
 *   apply   the set-based call + recording upsert (with its triggers), under the company's RLS
 *   record  the follow-up jobs into the outbox and applied_at on the events
 *   commit  COMMIT of that transaction (the outbox relay's enqueue is Redis time, not Postgres)
 * Prints ms per event for each phase and the backend's CPU per event over all of them.
 *
 *   npx tsx bench/ingest/effects-floor.ts [--batches 200] [--batch 100]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import {
  applyTwilioRecordingStatuses,
  claimUnappliedEvents,
  inCompany,
  insertOutboxJobs,
  insertWebhookEvents,
  markEventsApplied,
  withPlatform,
  type Database,
  type Db,
} from '@callvault/db';
import { createBenchDatabase } from '../lib/bench-database';
import { argValue, printTable } from '../lib/report';

const BATCHES = Number(argValue('batches') ?? 200);
const BATCH = Number(argValue('batch') ?? 100);

function backendCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  const database = await createBenchDatabase();
  // One connection: every statement runs on the backend whose CPU is read.
  const pool = new pg.Pool({ connectionString: database.ownerUrl, max: 1 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }) as unknown as Db;
  try {
    const companyId = randomUUID();
    await sql`INSERT INTO companies (id, name) VALUES (${companyId}, 'effects floor')`.execute(database.owner);
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)).rows[0]!.pid;
    const phases = { claim: 0, apply: 0, record: 0, commit: 0 };
    let cpuMs = 0;
    let events = 0;
    for (let b = 0; b < BATCHES; b++) {
      const facts = Array.from({ length: BATCH }, () => {
        const recordingSid = `RE${randomBytes(16).toString('hex')}`;
        return {
          accountSid,
          callSid: `CA${randomBytes(16).toString('hex')}`,
          ownerUserId: null,
          recordingSid,
          status: 'pending' as const,
          statusReason: null,
          mediaUrl: `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`,
          channels: 2,
          durationSeconds: 312,
          startedAt: new Date(),
          downloadable: true,
        };
      });
      await withPlatform(db, async (tx) =>
        insertWebhookEvents(
          tx,
          facts.map((fact) => ({
            companyId,
            provider: 'twilio' as const,
            eventType: 'recording-status',
            idempotencyKey: `twilio:recording-status:${fact.recordingSid}:completed`,
            status: 'accepted' as const,
            externalAccountId: accountSid,
            callRef: fact.callSid,
            payload: { ...fact },
            requestPath: '/webhooks/twilio/recording-status',
          })),
        ),
      );
      const warm = b < 10;
      const cpu0 = backendCpuMs(pid);
      const time = async <T>(phase: keyof typeof phases, work: () => Promise<T>): Promise<T> => {
        const t0 = performance.now();
        const result = await work();
        if (!warm) phases[phase] += performance.now() - t0;
        return result;
      };
      let commitStarted = 0;
      await withPlatform(db, async (tx) => {
        const claimed = await time('claim', () => claimUnappliedEvents(tx, BATCH));
        const results = await time('apply', () => inCompany(tx, companyId, (companyTx) => applyTwilioRecordingStatuses(companyTx, facts)));
        await time('record', async () => {
          await insertOutboxJobs(
            tx,
            results.map((result) => ({ queue: 'recording-fetch', jobId: result.recordingId, payload: { companyId, recordingId: result.recordingId } })),
          );
          await markEventsApplied(tx, claimed);
        });
        commitStarted = performance.now();
      });
      if (!warm) phases.commit += performance.now() - commitStarted;
      if (!warm) {
        cpuMs += backendCpuMs(pid) - cpu0;
        events += facts.length;
      }
    }
    const total = Object.values(phases).reduce((a, b) => a + b, 0);
    console.log(`\n${events} events in batches of ${BATCH} (a new call and recording each), one backend\n`);
    printTable(
      ['phase', 'ms per event (wall)', '% of the effects'],
      Object.entries(phases).map(([phase, ms]) => [phase, (ms / events).toFixed(4), ((ms / total) * 100).toFixed(0)]),
    );
    console.log(`\nPostgres backend CPU per event, all phases: ${(cpuMs / events).toFixed(3)} ms (wall ${(total / events).toFixed(3)} ms)`);
  } finally {
    await (db as unknown as Kysely<Database>).destroy();
    await database.drop();
  }
}

await main();
