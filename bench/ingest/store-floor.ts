/**
 * What storing a webhook costs Postgres, and how much of it is ours: batches of recording
 * callbacks inserted the way ingest's reply path does (one transaction: the platform GUC, one
 * multi-row INSERT … RETURNING, COMMIT; duplicates skipped by the table's unique-key trigger),
 * one batch at a time, into
 *   1. `webhook_events` as migrated (the baseline: what ingest does today),
 *   2. the same table without each of its secondary indexes / the company foreign key / the
 *      unique-key trigger (the cost of a key unique across month partitions), in turn,
 *   3. a floor table holding only the idempotency key (primary key) and the payload.
 * Prints events/s and Postgres backend CPU per event for each. No HTTP, no signature check: this
 * isolates the durable store that every acknowledged webhook has to wait for.
 *
 *   npx tsx bench/ingest/store-floor.ts [--seconds 6] [--batch 45]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { sql } from 'kysely';
import { createBenchDatabase } from '../lib/bench-database';
import { argValue, printTable } from '../lib/report';

const SECONDS = Number(argValue('seconds') ?? 6);
const BATCH = Number(argValue('batch') ?? 45);

function backendCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A recording callback's stored row, as ingest builds it (payload = the form fields). */
function callbackRow(companyId: string, accountSid: string) {
  const recordingSid = `RE${randomBytes(16).toString('hex')}`;
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const payload = {
    AccountSid: accountSid,
    CallSid: callSid,
    RecordingSid: recordingSid,
    RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`,
    RecordingStatus: 'completed',
    RecordingDuration: '312',
    RecordingChannels: '2',
    RecordingStartTime: new Date().toUTCString(),
    RecordingSource: 'DialVerb',
    RecordingTrack: 'both',
    ErrorCode: '0',
  };
  return { companyId, key: `twilio:recording-status:${recordingSid}:completed`, callSid, accountSid, payload: JSON.stringify(payload) };
}

type Row = ReturnType<typeof callbackRow>;

const INSERT_EVENTS = `INSERT INTO webhook_events (company_id, provider, event_type, idempotency_key, status, reason, external_account_id, call_ref, payload, request_path, owner_user_id)
  SELECT company_id, 'twilio', 'recording-status', key, 'accepted', NULL, account, call_ref, payload, '/webhooks/twilio/recording-status', NULL
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) AS t(company_id, key, account, call_ref, payload)
  RETURNING id`;
const INSERT_FLOOR = `INSERT INTO floor_events (idempotency_key, payload) SELECT key, payload FROM unnest($1::text[], $2::jsonb[]) AS t(key, payload)
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`;

async function run(client: pg.Client, pid: number, insert: (rows: Row[]) => Promise<unknown>, makeRow: () => Row) {
  // Rows are made before the clock starts: only Postgres and the wire are timed.
  const batches = Array.from({ length: 4000 }, () => Array.from({ length: BATCH }, makeRow));
  const cpu0 = backendCpuSeconds(pid);
  const started = performance.now();
  let events = 0;
  const latencies: number[] = [];
  for (const batch of batches) {
    const t0 = performance.now();
    await client.query('BEGIN');
    await client.query(`SELECT set_config('callvault.platform', 'on', true)`);
    await insert(batch);
    await client.query('COMMIT');
    latencies.push(performance.now() - t0);
    events += batch.length;
    if (performance.now() - started > SECONDS * 1000) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = backendCpuSeconds(pid) - cpu0;
  latencies.sort((a, b) => a - b);
  return { eventsPerSecond: events / seconds, pgMsPerEvent: (cpu * 1000) / events, batchMs: latencies[Math.floor(latencies.length / 2)]! };
}

async function main(): Promise<void> {
  const database = await createBenchDatabase();
  const client = new pg.Client({ connectionString: database.ownerUrl });
  await client.connect();
  try {
    const companyId = randomUUID();
    await sql`INSERT INTO companies (id, name) VALUES (${companyId}, 'store floor')`.execute(database.owner);
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const makeRow = () => callbackRow(companyId, accountSid);
    const insertEvents = (rows: Row[]) =>
      client.query(INSERT_EVENTS, [
        rows.map((r) => r.companyId),
        rows.map((r) => r.key),
        rows.map((r) => r.accountSid),
        rows.map((r) => r.callSid),
        rows.map((r) => r.payload),
      ]);

    const results: Array<[string, Awaited<ReturnType<typeof run>>]> = [];
    // Warm-up: the first batches pay for the relation cache and plan.
    await run(client, pid, insertEvents, makeRow);
    results.push(['webhook_events as migrated (baseline)', await run(client, pid, insertEvents, makeRow)]);

    const indexes = (
      await client.query<{ name: string; def: string }>(
        `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'webhook_events' AND indexname NOT IN ('webhook_events_pkey', 'webhook_events_idempotency_key_idx')`,
      )
    ).rows;
    for (const index of indexes) {
      await client.query(`DROP INDEX ${index.name}`);
      results.push([`  without ${index.name}`, await run(client, pid, insertEvents, makeRow)]);
      // A partitioned table's definition reads `ON ONLY`, which would skip the partitions.
      await client.query(index.def.replace(' ON ONLY ', ' ON '));
    }
    const fk = (
      await client.query<{ name: string; def: string }>(
        `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'webhook_events'::regclass AND contype = 'f'`,
      )
    ).rows;
    for (const constraint of fk) {
      await client.query(`ALTER TABLE webhook_events DROP CONSTRAINT ${constraint.name}`);
      results.push([`  without foreign key ${constraint.name}`, await run(client, pid, insertEvents, makeRow)]);
      await client.query(`ALTER TABLE webhook_events ADD CONSTRAINT ${constraint.name} ${constraint.def}`);
    }
    await client.query('ALTER TABLE webhook_events DISABLE TRIGGER webhook_events_unique_key');
    results.push(['  without the unique-key trigger', await run(client, pid, insertEvents, makeRow)]);
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    for (const constraint of fk) await client.query(`ALTER TABLE webhook_events DROP CONSTRAINT ${constraint.name}`);
    results.push(['  without all of the above', await run(client, pid, insertEvents, makeRow)]);

    await client.query('CREATE TABLE floor_events (idempotency_key text PRIMARY KEY, payload jsonb NOT NULL)');
    const insertFloor = (rows: Row[]) => client.query(INSERT_FLOOR, [rows.map((r) => r.key), rows.map((r) => r.payload)]);
    await run(client, pid, insertFloor, makeRow);
    results.push(['floor: key + payload only', await run(client, pid, insertFloor, makeRow)]);

    console.log(`\nbatches of ${BATCH} events, one at a time, ${SECONDS} s each (2 cores; Postgres CPU is the backend's own)\n`);
    printTable(
      ['table', 'events/s', 'Postgres CPU ms per event', 'batch p50 ms'],
      results.map(([label, r]) => [label, r.eventsPerSecond.toFixed(0), r.pgMsPerEvent.toFixed(3), r.batchMs.toFixed(2)]),
    );
  } finally {
    await client.end();
    await database.drop();
  }
}

await main();
