/**
 * Webhook intake throughput: signed Twilio recording-status callbacks (a unique RecordingSid and
 * CallSid each, one registered account; or call-status callbacks with --kind) at a fixed concurrency against
 *   1. the real ingest (its own process, PUBLIC_BASE_URL = its URL, own database and queue prefix),
 *   2. a bare Fastify route that only parses the same form body (bench/ingest/bare-server.ts),
 *   3. the durable floor: the same ingest storing the events with no effects (durable-floor-server.ts),
 * under the same conditions, then prints req/s, p50/p99 and the ratios. A fourth, profiled run of
 * ingest (`--cpu-prof`) shows where its time goes, with the CPU split between the processes.
 *
 *   npx tsx bench/ingest/run.ts [--duration 15] [--warmup 3] [--connections 50] [--no-profile]
 *     [--kind call-status]    a call's final status callback (numbers, no recording) instead
 *     [--built]               ingest from its production bundle (build it first: pnpm build)
 *     [--node-args "--flag"]  V8/Node flags for the measured ingest, e.g. GC settings
 *
 * Targets: ingest's replies >= 0.8 of the durable floor, end to end (effects applied) >= 0.9 of
 * the replies, p99 < 50 ms at 50 connections on 2 cores; ingest >= 35 % of the bare route.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { signTwilioForm, encodeForm } from '@callvault/simulator';
import { createBenchDatabase, type BenchDatabase } from '../lib/bench-database';
import { cpuAccount, sleep, spawnNode, waitForQuietMachine, waitHttpOk, type NodeProcess } from '../lib/child-process';
import { freePort, startPgRoundTripCounter } from '@callvault/testing';
import { printProfileTables, readProfile, summarizeProfile } from '../lib/cpu-profile';
import { argValue, formatMs, hasFlag, printTable } from '../lib/report';
import { benchPrefix, deleteRedisPrefix, MACHINE_REDIS, generateSecrets, seedTwilioCompany, serviceEnv, startService, type StackSettings } from '../lib/stack';

const DURATION_S = Number(argValue('duration') ?? 15);
const WARMUP_S = Number(argValue('warmup') ?? 3);
const CONNECTIONS = Number(argValue('connections') ?? 50);
const PROFILE = !hasFlag('no-profile');
const PROFILE_S = 10;
/** DATABASE_POOL_SIZE for ingest; unset: the product default (10). */
const DB_POOL = argValue('db-pool');
const BUILT = hasFlag('built');
const NODE_ARGS = (argValue('node-args') ?? '').split(' ').filter(Boolean);
/** recording-status (the benchmark) or call-status (a call's final status, with its numbers). */
const KIND = argValue('kind') ?? 'recording-status';
if (KIND !== 'recording-status' && KIND !== 'call-status') throw new Error('--kind must be recording-status or call-status');
const PATH = `/webhooks/twilio/${KIND}`;
/** Unique callbacks prepared before timing; far more than ingest answers in the runs below. */
const POOL_SIZE = Number(argValue('pool') ?? 120_000);

interface Callback {
  body: string;
  signature: string;
}

const randomNumber = () => `+1312${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/** Signed bodies for `publicBaseUrl`: signing happens here, before any clock starts. */
function prepareCallbacks(accountSid: string, authToken: string, publicBaseUrl: string, simBase: string): Callback[] {
  const url = `${publicBaseUrl}${PATH}`;
  const callbacks: Callback[] = new Array(POOL_SIZE);
  const start = new Date(Date.now() - 3600_000).toUTCString().replace('GMT', '+0000');
  for (let i = 0; i < POOL_SIZE; i++) {
    // Only the kind under test is built: the pool is large.
    const callStatus = (): Record<string, string> => ({
      AccountSid: accountSid,
      CallSid: `CA${randomBytes(16).toString('hex')}`,
      CallStatus: 'completed',
      Direction: 'inbound',
      From: randomNumber(),
      To: randomNumber(),
      CallDuration: String(30 + (i % 600)),
      Timestamp: start,
      SequenceNumber: '3',
    });
    const recordingStatus = (recordingSid: string): Record<string, string> => ({
      AccountSid: accountSid,
      CallSid: `CA${randomBytes(16).toString('hex')}`,
      RecordingSid: recordingSid,
      RecordingUrl: `${simBase}/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`,
      RecordingStatus: 'completed',
      RecordingDuration: String(30 + (i % 600)),
      RecordingChannels: '2',
      RecordingStartTime: start,
      RecordingSource: 'DialVerb',
      RecordingTrack: 'both',
      ErrorCode: '0',
    });
    const params = KIND === 'call-status' ? callStatus() : recordingStatus(`RE${randomBytes(16).toString('hex')}`);
    callbacks[i] = { body: encodeForm(params), signature: signTwilioForm(authToken, url, params) };
  }
  return callbacks;
}

interface LoadResult {
  label: string;
  seconds: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** CPU by process group, in % of one core. */
  cpu: Record<string, number>;
}

/** One autocannon run; `next` hands out the callback each request sends. */
async function load(
  label: string,
  baseUrl: string,
  seconds: number,
  next: () => Callback,
  serverPid: number,
  database: BenchDatabase,
  connections = CONNECTIONS,
): Promise<LoadResult> {
  const account = cpuAccount();
  const result = await autocannon({
    url: `${baseUrl}${PATH}`,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: PATH,
        setupRequest: (request) => {
          const callback = next();
          return {
            ...request,
            method: 'POST',
            path: PATH,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': callback.signature, 'user-agent': 'TwilioProxy/1.1' },
            body: callback.body,
          };
        },
      },
    ],
  });
  const cpu = account.stop({ server: [serverPid], 'load generator': [process.pid], 'postgres (bench db)': await backendPids(database) });
  const ok = result['2xx'];
  return {
    label,
    seconds,
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rps: ok / seconds,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    cpu,
  };
}

/** Backends connected to our database: the Postgres work this run caused. */
async function backendPids(database: BenchDatabase): Promise<number[]> {
  const result = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(database.owner);
  return result.rows.map((row) => row.pid);
}

async function unappliedEvents(database: BenchDatabase): Promise<number> {
  const result = await sql<{ n: string }>`SELECT count(*)::text AS n FROM webhook_events WHERE status = 'accepted' AND applied_at IS NULL`.execute(
    database.owner,
  );
  return Number(result.rows[0]!.n);
}

/**
 * Statistics as a deployment in service has them (autovacuum analyzes a table after 10 % of it
 * changes, checked every minute). A run starts on empty tables and lasts less than that minute:
 * without this, Postgres plans the effects' foreign-key checks and rollup trigger for the few
 * rows it last saw, and at 100,000 rows one batch's statement took 199 ms instead of 17.
 */
async function analyzeAsAutovacuumWould(database: BenchDatabase): Promise<void> {
  await sql`ANALYZE`.execute(database.owner);
}

/** Waits until every accepted event's effects have committed; returns the seconds it took. */
async function drainEffects(database: BenchDatabase, limitSeconds = 180): Promise<number> {
  const started = performance.now();
  while ((await unappliedEvents(database)) > 0) {
    if (performance.now() - started > limitSeconds * 1000) throw new Error(`effects not applied ${limitSeconds} s after the load`);
    await sleep(100);
  }
  return (performance.now() - started) / 1000;
}

/** The samples of ingest's /metrics this report reads (summed over labels). */
async function scrapeMetrics(baseUrl: string) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  const mean = (histogram: string) => sum(`${histogram}_sum`) / Math.max(1, sum(`${histogram}_count`));
  return {
    replyBatch: mean('callvault_event_commit_batch_size'),
    effectsBatch: mean('callvault_event_effects_batch_size'),
  };
}

async function xactCommits(database: BenchDatabase): Promise<number> {
  const result = await sql<{ n: string }>`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()`.execute(database.owner);
  return Number(result.rows[0]!.n);
}

async function main(): Promise<void> {
  const secrets = generateSecrets();
  const queuePrefix = benchPrefix('ingest');
  const database = await createBenchDatabase();
  const cleanups: Array<() => Promise<unknown>> = [() => database.drop(), () => deleteRedisPrefix(MACHINE_REDIS, queuePrefix)];
  const running: NodeProcess[] = [];
  try {
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    await seedTwilioCompany(database.owner, secrets.SECRETS_KEY, { name: 'Ingest bench', accountSid, authToken });
    const stack: StackSettings = {
      databaseUrl: database.ownerUrl,
      redis: MACHINE_REDIS,
      queuePrefix,
      // Ingest uses neither storage nor the provider API: these are never contacted.
      s3Endpoint: 'http://127.0.0.1:9',
      s3Bucket: 'unused-bucket',
      secrets,
      simHost: '127.0.0.1:9',
      simBaseUrl: 'http://127.0.0.1:9',
    };
    const ingestPort = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${ingestPort}`;
    const preparing = performance.now();
    const pool = prepareCallbacks(accountSid, authToken, publicBaseUrl, stack.simBaseUrl);
    console.log(`prepared ${pool.length} signed callbacks in ${((performance.now() - preparing) / 1000).toFixed(1)} s (not timed)`);
    let used = 0;
    let wrapped = false;
    const nextUnique = () => {
      if (used >= pool.length) wrapped = true;
      return pool[used++ % pool.length]!;
    };
    let bareIndex = 0;
    const nextAny = () => pool[bareIndex++ % pool.length]!;

    const background = await waitForQuietMachine();
    console.log(`machine busy before the runs: ${background.toFixed(0)} % of one core`);
    // 1. ingest
    const poolEnv: Record<string, string> = DB_POOL ? { DATABASE_POOL_SIZE: DB_POOL } : {};
    const ingest = await startService('ingest', stack, { port: ingestPort, extraEnv: poolEnv, built: BUILT, nodeArgs: NODE_ARGS });
    running.push(ingest.process);
    const ingestWarmup = await load('ingest warm-up', ingest.baseUrl, WARMUP_S, nextUnique, ingest.process.pid, database);
    // One request at a time: the service time of a webhook, without any queueing.
    const ingestSerial = await load('ingest, 1 connection', ingest.baseUrl, 3, nextUnique, ingest.process.pid, database, 1);
    // Effects follow the replies: start the measured run with none pending, then time how long the
    // effects of its webhooks take to catch up once the load stops.
    await drainEffects(database);
    await analyzeAsAutovacuumWould(database);
    const commits0 = await xactCommits(database);
    const ingestResult = await load('ingest', ingest.baseUrl, DURATION_S, nextUnique, ingest.process.pid, database);
    const unappliedAtEnd = await unappliedEvents(database);
    const effectsDrain = await drainEffects(database);
    const commitsPerRequest = ((await xactCommits(database)) - commits0) / Math.max(1, ingestResult.requests);
    const ingestMetrics = await scrapeMetrics(ingest.baseUrl);
    await ingest.process.stop();

    // 2. bare Fastify route, same conditions
    const barePort = await freePort();
    const bare = spawnNode('bare-fastify', 'bench/ingest/bare-server.ts', {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(barePort),
    });
    running.push(bare);
    await waitHttpOk(`http://127.0.0.1:${barePort}/readyz`, { process: bare });
    await load('bare warm-up', `http://127.0.0.1:${barePort}`, WARMUP_S, nextAny, bare.pid, database);
    const bareResult = await load('bare Fastify', `http://127.0.0.1:${barePort}`, DURATION_S, nextAny, bare.pid, database);
    const bareSerial = await load('bare, 1 connection', `http://127.0.0.1:${barePort}`, 3, nextAny, bare.pid, database, 1);
    await bare.stop();

    // Postgres round trips per webhook, counted on the wire by a proxy in front of the server.
    const counter = await startPgRoundTripCounter();
    cleanups.unshift(() => counter.close());
    const proxiedUrl = new URL(database.ownerUrl);
    proxiedUrl.port = String(counter.port);
    const counted = await startService('ingest', { ...stack, databaseUrl: proxiedUrl.toString() }, { port: ingestPort, label: 'ingest (counted)' });
    running.push(counted.process);
    const sendOne = async () => {
      const callback = nextUnique();
      const response = await fetch(`${counted.baseUrl}${PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': callback.signature },
        body: callback.body,
      });
      await response.arrayBuffer();
      return response.status;
    };
    for (let i = 0; i < 20; i++) await sendOne();
    await sleep(200);
    counter.reset();
    const COUNTED = 200;
    let countedOk = 0;
    for (let i = 0; i < COUNTED; i++) if ((await sendOne()) === 204) countedOk++;
    const wire = counter.counts();
    await counted.process.stop();

    // 3. the durable floor: the same server storing the events, effects never applied.
    const floorEnv = serviceEnv(stack, { PORT: String(ingestPort), PUBLIC_BASE_URL: publicBaseUrl, ...poolEnv });
    const floor = spawnNode('ingest (durable floor)', 'bench/ingest/durable-floor-server.ts', floorEnv, NODE_ARGS);
    running.push(floor);
    await waitHttpOk(`${publicBaseUrl}/readyz`, { process: floor });
    const floorWarmup = await load('floor warm-up', publicBaseUrl, WARMUP_S, nextUnique, floor.pid, database);
    await analyzeAsAutovacuumWould(database);
    const floorResult = await load('durable floor', publicBaseUrl, DURATION_S, nextUnique, floor.pid, database);
    await floor.stop();
    // Its events are the floor's alone: marked applied so that no later run spends time on them.
    await sql`UPDATE webhook_events SET applied_at = now() WHERE applied_at IS NULL`.execute(database.owner);

    // Every 2xx must be one stored event: a benchmark that loses events measures nothing.
    const stored = await sql<{ n: string }>`SELECT count(*)::text AS n FROM webhook_events WHERE status = 'accepted'`.execute(database.owner);

    // 4. where ingest's time goes
    let profileReport: (() => void) | undefined;
    if (PROFILE) {
      const profileDir = mkdtempSync(join(tmpdir(), 'callvault-ingest-prof-'));
      cleanups.push(async () => rmSync(profileDir, { recursive: true, force: true }));
      const profiled = await startService('ingest', stack, {
        port: ingestPort,
        extraEnv: poolEnv,
        nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
        label: 'ingest (profiled)',
      });
      running.push(profiled.process);
      await load('profiled warm-up', profiled.baseUrl, 2, nextUnique, profiled.process.pid, database);
      const profiledResult = await load('ingest (profiled)', profiled.baseUrl, PROFILE_S, nextUnique, profiled.process.pid, database);
      await profiled.process.stop();
      const summary = summarizeProfile(readProfile(profileDir), PROFILE_S + 0.5);
      profileReport = () => {
        console.log(`\nCPU profile of ingest under load (${PROFILE_S} s, ${profiledResult.rps.toFixed(0)} req/s while profiled; profiler overhead included)`);
        console.log(
          `busy ${(summary.busyMs / 1000).toFixed(2)} s of ${(summary.totalMs / 1000).toFixed(2)} s sampled = ${((summary.busyMs / summary.totalMs) * 100).toFixed(0)} % of one core\n`,
        );
        printProfileTables(summary, { inclusive: true });
      };
    }

    console.log(
      `\nnode ${process.version}, 2 cores shared by load generator, server, Postgres and Redis; ${CONNECTIONS} connections, ${WARMUP_S} s warm-up, ${DURATION_S} s measured; ingest DATABASE_POOL_SIZE=${DB_POOL ?? '10 (default)'}\n`,
    );
    printTable(
      ['target', 'req/s (2xx)', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors'],
      [ingestResult, floorResult, bareResult, ingestSerial, bareSerial].map((r) => [
        r.label,
        r.rps.toFixed(0),
        formatMs(r.p50),
        formatMs(r.p90),
        formatMs(r.p99),
        formatMs(r.max),
        r.non2xx,
        r.errors,
      ]),
    );
    console.log('\nCPU while measuring, % of one core (the machine has 200 %):');
    const groups = Object.keys(ingestResult.cpu);
    printTable(
      ['target', ...groups, 'total'],
      [ingestResult, floorResult, bareResult].map((r) => [
        r.label,
        ...groups.map((group) => (r.cpu[group] ?? 0).toFixed(0)),
        Object.values(r.cpu)
          .reduce((a, b) => a + b, 0)
          .toFixed(0),
      ]),
    );
    const cpuPerRequest = (r: LoadResult) => ((r.cpu.server ?? 0) * 10) / r.rps;
    const pgPerRequest = ((ingestResult.cpu['postgres (bench db)'] ?? 0) * 10) / ingestResult.rps;
    console.log(
      `server CPU per request: ingest ${cpuPerRequest(ingestResult).toFixed(3)} ms, bare ${cpuPerRequest(bareResult).toFixed(3)} ms; Postgres CPU per ingest request ${pgPerRequest.toFixed(3)} ms`,
    );
    const ratio = ingestResult.rps / bareResult.rps;
    const ofFloor = ingestResult.rps / floorResult.rps;
    const endToEnd = ingestResult.ok / (DURATION_S + effectsDrain);
    const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
    console.log(`\ningest replies / durable floor: ${(ofFloor * 100).toFixed(1)} %   (target >= 80 %: ${verdict(ofFloor >= 0.8)})`);
    console.log(
      `end to end / replies: ${((endToEnd / ingestResult.rps) * 100).toFixed(1)} %   (target >= 90 %: ${verdict(endToEnd >= 0.9 * ingestResult.rps)})`,
    );
    console.log(`ingest p99: ${formatMs(ingestResult.p99)} ms   (target < 50 ms: ${verdict(ingestResult.p99 < 50)})`);
    console.log(`ingest / bare throughput: ${(ratio * 100).toFixed(1)} %   (target >= 35 %: ${verdict(ratio >= 0.35)})`);
    console.log(
      `effects (calls, recordings, fetch jobs; applied from the stored events after the reply): ${unappliedAtEnd} of ${ingestResult.ok} still pending when the load stopped, all applied ${effectsDrain.toFixed(1)} s later = ${endToEnd.toFixed(0)} webhooks/s end to end`,
    );
    console.log(
      `since ingest started (warm-up included): mean batch ${ingestMetrics.replyBatch.toFixed(1)} events per reply commit, ${ingestMetrics.effectsBatch.toFixed(1)} per effects commit`,
    );
    console.log(`Postgres transactions per webhook, replies and effects (pg_stat_database.xact_commit): ${commitsPerRequest.toFixed(2)}`);
    console.log(
      `Postgres round trips per webhook, counted on the wire over ${COUNTED} sequential webhooks (${countedOk} answered 204): ${(wire.roundTrips / COUNTED).toFixed(1)} (${(wire.statements / COUNTED).toFixed(1)} statements; includes the relay's and pool's background queries)`,
    );
    const acknowledged = ingestWarmup.ok + ingestResult.ok + ingestSerial.ok + countedOk + floorWarmup.ok + floorResult.ok;
    console.log(
      `every 2xx stored: ${Number(stored.rows[0]!.n) >= acknowledged ? 'yes' : 'NO'} (${acknowledged} answered 2xx, ${stored.rows[0]!.n} accepted events stored; the surplus were in flight when a run's clock stopped)`,
    );
    if (wrapped) console.log('note: the callback pool ran out and wrapped: later requests were duplicates (raise --pool)');
    profileReport?.();
  } finally {
    for (const child of running) await child.stop().catch(() => undefined);
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
  }
}

await main();
