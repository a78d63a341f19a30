/**
 * Archiving throughput and memory of the recording-fetcher, against the real thing end to end:
 * the simulator serving Twilio media (its own process), an embedded S3 server (s3rver), our own
 * database and queue prefix, and recording-fetcher processes as in production.
 *
 * (a) recordings/s archiving N one-minute dual-channel WAV calls with 1 and then 2 fetcher
 *     processes, timed from the first enqueue to the last `stored` row, beside a baseline that
 *     copies the same bytes simulator → S3 with a plain `fetch` + `@aws-sdk/lib-storage` Upload at
 *     the same number of transfers in flight (same run, same servers);
 * (b) peak RSS (VmHWM) of a fetcher process archiving one ~500 MB recording;
 * fetcher processes run the production bundle (dist/recording-fetcher/main.mjs, built first);
 * (c) the backfill lane: a backlog of prioritized (sync) jobs for company A, then one fresh job for
 *     company B — how long B waits.
 *
 *   npx tsx bench/fetcher/run.ts [--recordings 1000] [--seconds 60] [--concurrency 4]
 *                                [--big-seconds 15625] [--skip-rss] [--skip-fairness] [--profile] [--s3-dir /dev/shm]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { sql } from 'kysely';
import { createProducer, createRedis, describeJob, type Producer } from '@callvault/queue';
import { startEmbeddedS3 } from '@callvault/testing';
import { embeddedS3Client } from '../lib/embedded-s3-client';
import { buildServices } from '../../scripts/build-services';
import { createBenchDatabase, type BenchDatabase } from '../lib/bench-database';
import { cleanUpOnExit, cpuAccount, memoryOf, sleep, waitForQuietMachine, type NodeProcess } from '../lib/child-process';
import { printProfileTables, readProfile, summarizeProfile } from '../lib/cpu-profile';
import { argValue, formatMb, hasFlag, printTable } from '../lib/report';
import {
  addSimRecordings,
  benchPrefix,
  deleteRedisPrefix,
  MACHINE_REDIS,
  generateSecrets,
  seedTwilioCompany,
  startService,
  startSimulator,
  type SimulatorProcess,
  type StackSettings,
} from '../lib/stack';
import { insertPendingRecordings, recordingProgress } from './pending-recordings';

const RECORDINGS = Number(argValue('recordings') ?? 1000);
const SECONDS = Number(argValue('seconds') ?? 60);
const CONCURRENCY = Number(argValue('concurrency') ?? 4);
const BIG_SECONDS = Number(argValue('big-seconds') ?? 15_625);
const BUCKET = 'bench-recordings';
const PHASE_TIMEOUT_MS = 20 * 60_000;

interface World {
  database: BenchDatabase;
  stack: StackSettings;
  sim: SimulatorProcess;
  s3Pid: number;
  s3Client: S3Client;
  producer: Producer;
  account: { accountSid: string; authToken: string };
}

interface PhaseResult {
  label: string;
  recordings: number;
  bytes: number;
  seconds: number;
  cpu: Record<string, number>;
  verified: string;
}

async function backendPids(database: BenchDatabase): Promise<number[]> {
  const result = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(database.owner);
  return result.rows.map((row) => row.pid);
}

/**
 * How the image runs a fetcher (infra/Dockerfile, docker-compose.yml): glibc limited to two malloc
 * arenas and a small young generation, so the bytes streaming through are returned promptly.
 * Measured on the 500 MB recording: bundle alone 223 MiB peak, with both settings 172 MiB.
 */
const FETCHER_ENV = { MALLOC_ARENA_MAX: '2' };
const FETCHER_NODE_ARGS = ['--max-semi-space-size=2'];

async function startFetchers(world: World, count: number, label: string, nodeArgs: string[] = []): Promise<NodeProcess[]> {
  const started = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      startService('recording-fetcher', world.stack, {
        label: `${label}-${i + 1}`,
        nodeArgs: [...FETCHER_NODE_ARGS, ...nodeArgs],
        built: true,
        extraEnv: { FETCHER_CONCURRENCY: String(CONCURRENCY), ...FETCHER_ENV },
      }),
    ),
  );
  return started.map((service) => service.process);
}

/** Waits until every recording of the company is stored or failed (bounded). */
async function waitArchived(
  world: World,
  companyId: string,
  total: number,
  timeoutMs = PHASE_TIMEOUT_MS,
  onTick?: () => void,
): Promise<{ stored: number; failed: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await recordingProgress(world.database.owner, companyId);
    onTick?.();
    if (progress.stored + progress.failed >= total) return progress;
    if (Date.now() > deadline) throw new Error(`timed out: ${progress.stored} stored, ${progress.failed} failed of ${total}`);
    await sleep(100);
  }
}

/** Compares every stored recording's sha256 and size with what the simulator served. */
async function verifyAgainstServed(world: World, companyId: string): Promise<string> {
  const rows = await sql<{ provider_recording_id: string; sha256: string | null; size_bytes: string | null; status: string }>`
    SELECT provider_recording_id, sha256, size_bytes::text, status FROM recordings WHERE company_id = ${companyId}::uuid
  `.execute(world.database.owner);
  let good = 0;
  let bad = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < rows.rows.length) {
        const row = rows.rows[next++]!;
        const served = await world.sim.served(row.provider_recording_id);
        if (row.status === 'stored' && served && served.sha256 === row.sha256 && String(served.sizeBytes) === row.size_bytes) good++;
        else bad++;
      }
    }),
  );
  return bad === 0 ? `all ${good} match` : `${bad} MISMATCH of ${rows.rows.length}`;
}

async function archivePhase(world: World, label: string, workers: number, profileDir?: string): Promise<PhaseResult> {
  const { companyId } = await seedTwilioCompany(world.database.owner, world.stack.secrets.SECRETS_KEY, { name: label, ...world.account, shared: true });
  const handles = await addSimRecordings(world.sim, world.account.accountSid, RECORDINGS, () => ({ durationSeconds: SECONDS, channels: 2 }));
  const ids = await insertPendingRecordings(world.database.owner, { companyId, accountSid: world.account.accountSid, handles, durationSeconds: SECONDS });
  const fetchers = await startFetchers(world, workers, label, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  try {
    await waitForQuietMachine({ maxWaitMs: 20_000 });
    const account = cpuAccount();
    const started = performance.now();
    await world.producer.enqueueMany(ids.map((recordingId) => describeJob('recording-fetch', { companyId, recordingId })));
    const progress = await waitArchived(world, companyId, RECORDINGS);
    const seconds = (performance.now() - started) / 1000;
    const cpu = account.stop({
      fetchers: fetchers.map((fetcher) => fetcher.pid),
      simulator: [world.sim.process.pid],
      s3rver: [world.s3Pid],
      'postgres (bench db)': await backendPids(world.database),
      orchestrator: [process.pid],
    });
    const bytes = await sql<{
      bytes: string;
    }>`SELECT coalesce(sum(size_bytes), 0)::text AS bytes FROM recordings WHERE company_id = ${companyId}::uuid`.execute(world.database.owner);
    const verified =
      progress.failed > 0 ? `${progress.failed} FAILED; ${await verifyAgainstServed(world, companyId)}` : await verifyAgainstServed(world, companyId);
    return { label, recordings: progress.stored, bytes: Number(bytes.rows[0]!.bytes), seconds, cpu, verified };
  } finally {
    for (const fetcher of fetchers) await fetcher.stop();
  }
}

/** The same bytes, simulator → S3, with nothing but fetch and lib-storage, `parallel` at a time. */
async function baselinePhase(world: World, label: string, parallel: number): Promise<PhaseResult> {
  const handles = await addSimRecordings(world.sim, world.account.accountSid, RECORDINGS, () => ({ durationSeconds: SECONDS, channels: 2 }));
  const authorization = `Basic ${Buffer.from(`${world.account.accountSid}:${world.account.authToken}`).toString('base64')}`;
  await waitForQuietMachine({ maxWaitMs: 20_000 });
  const account = cpuAccount();
  const started = performance.now();
  let bytes = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < handles.length) {
        const handle = handles[next++]!;
        const response = await fetch(`${handle.recordingCompleted.RecordingUrl}.wav?RequestedChannels=2`, { headers: { authorization } });
        if (!response.ok || !response.body) throw new Error(`baseline download ${handle.sid}: ${response.status}`);
        const body = new PassThrough();
        const upload = new Upload({
          client: world.s3Client,
          params: { Bucket: BUCKET, Key: `baseline/${handle.sid}.wav`, Body: body, ContentType: 'audio/wav' },
          queueSize: 2,
          partSize: 8 * 1024 * 1024,
        });
        const counted = new PassThrough();
        counted.on('data', (chunk: Buffer) => (bytes += chunk.length));
        await Promise.all([pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), counted, body), upload.done()]);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = account.stop({ fetchers: [], simulator: [world.sim.process.pid], s3rver: [world.s3Pid], 'postgres (bench db)': [], orchestrator: [process.pid] });
  return { label, recordings: handles.length, bytes, seconds, cpu, verified: '-' };
}

async function peakRssPhase(world: World): Promise<string[]> {
  const { companyId } = await seedTwilioCompany(world.database.owner, world.stack.secrets.SECRETS_KEY, { name: 'rss', ...world.account, shared: true });
  const handles = await addSimRecordings(world.sim, world.account.accountSid, 1, () => ({ durationSeconds: BIG_SECONDS, channels: 2 }));
  const [recordingId] = await insertPendingRecordings(world.database.owner, {
    companyId,
    accountSid: world.account.accountSid,
    handles,
    durationSeconds: BIG_SECONDS,
  });
  const [fetcher] = await startFetchers(world, 1, 'fetcher-rss');
  try {
    await sleep(2_000);
    const idle = memoryOf(fetcher!.pid);
    let maxRss = 0;
    const started = performance.now();
    await world.producer.enqueue(describeJob('recording-fetch', { companyId, recordingId: recordingId! }));
    const progress = await waitArchived(world, companyId, 1, PHASE_TIMEOUT_MS, () => {
      maxRss = Math.max(maxRss, memoryOf(fetcher!.pid).rssBytes);
    });
    const seconds = (performance.now() - started) / 1000;
    const after = memoryOf(fetcher!.pid);
    const size = await sql<{ size: string }>`SELECT coalesce(size_bytes, 0)::text AS size FROM recordings WHERE id = ${recordingId!}::uuid`.execute(
      world.database.owner,
    );
    const sizeBytes = Number(size.rows[0]!.size);
    return [
      `one recording of ${BIG_SECONDS} s, 2 channels, 8 kHz 16-bit WAV: ${formatMb(sizeBytes)} MiB (${sizeBytes} bytes), ${progress.stored === 1 ? 'stored' : 'NOT stored'}, ${await verifyAgainstServed(world, companyId)} the simulator's sha256`,
      `archived in ${seconds.toFixed(1)} s (${formatMb(sizeBytes / seconds)} MiB/s)`,
      `fetcher peak RSS (VmHWM): ${formatMb(after.peakRssBytes)} MiB   (idle after start: ${formatMb(idle.peakRssBytes)} MiB; highest VmRSS sampled during the job: ${formatMb(maxRss)} MiB)`,
      `target peak RSS < 200 MB: ${after.peakRssBytes < 200 * 1000 * 1000 ? 'met' : 'MISSED'}`,
    ];
  } finally {
    await fetcher!.stop();
  }
}

async function fairnessPhase(world: World): Promise<string[]> {
  const a = await seedTwilioCompany(world.database.owner, world.stack.secrets.SECRETS_KEY, { name: 'backlog A', ...world.account, shared: true });
  const b = await seedTwilioCompany(world.database.owner, world.stack.secrets.SECRETS_KEY, { name: 'fresh B', ...world.account, shared: true });
  const backlog = await addSimRecordings(world.sim, world.account.accountSid, RECORDINGS, () => ({ durationSeconds: SECONDS, channels: 2 }));
  const fresh = await addSimRecordings(world.sim, world.account.accountSid, 1, () => ({ durationSeconds: SECONDS, channels: 2 }));
  const aIds = await insertPendingRecordings(world.database.owner, {
    companyId: a.companyId,
    accountSid: world.account.accountSid,
    handles: backlog,
    durationSeconds: SECONDS,
  });
  const [bId] = await insertPendingRecordings(world.database.owner, {
    companyId: b.companyId,
    accountSid: world.account.accountSid,
    handles: fresh,
    durationSeconds: SECONDS,
  });
  const [fetcher] = await startFetchers(world, 1, 'fetcher-fairness');
  try {
    const backlogStart = performance.now();
    await world.producer.enqueueMany(aIds.map((recordingId) => ({ ...describeJob('recording-fetch', { companyId: a.companyId, recordingId }), priority: 10 })));
    // Let the backlog get going, so B arrives behind a busy worker and a full queue.
    for (let i = 0; i < 600 && (await recordingProgress(world.database.owner, a.companyId)).stored < 20; i++) await sleep(100);
    const aBefore = (await recordingProgress(world.database.owner, a.companyId)).stored;
    const rate = aBefore / ((performance.now() - backlogStart) / 1000);
    const started = performance.now();
    await world.producer.enqueue(describeJob('recording-fetch', { companyId: b.companyId, recordingId: bId! }));
    await waitArchived(world, b.companyId, 1, 120_000);
    const waited = (performance.now() - started) / 1000;
    const aAfter = (await recordingProgress(world.database.owner, a.companyId)).stored;
    return [
      `backlog: ${RECORDINGS} jobs for company A at priority 10 (the sync lane); ${aBefore} stored when B's job arrived (${rate.toFixed(1)} recordings/s)`,
      `company B's fresh job (no priority): stored ${waited.toFixed(2)} s after it was enqueued; A stored ${aAfter - aBefore} more meanwhile (the jobs already in flight)`,
      `in one FIFO queue B would have waited for the ${RECORDINGS - aBefore} queued A jobs: ~${((RECORDINGS - aBefore) / rate).toFixed(0)} s at that rate`,
    ];
  } finally {
    await fetcher!.stop();
  }
}

function printPhases(results: PhaseResult[]): void {
  printTable(
    ['run', 'recordings', 'MiB', 'seconds', 'recordings/s', 'MiB/s', 'sha256 vs simulator'],
    results.map((r) => [
      r.label,
      r.recordings,
      formatMb(r.bytes),
      r.seconds.toFixed(1),
      (r.recordings / r.seconds).toFixed(1),
      formatMb(r.bytes / r.seconds),
      r.verified,
    ]),
  );
  console.log('\nCPU while archiving, % of one core (the machine has 200 %):');
  const groups = [...new Set(results.flatMap((r) => Object.keys(r.cpu)))];
  printTable(
    ['run', ...groups],
    results.map((r) => [r.label, ...groups.map((group) => (r.cpu[group] ?? 0).toFixed(0))]),
  );
}

async function main(): Promise<void> {
  // Fetchers run from the production bundle (plain node, no TypeScript loader), as the image does.
  await buildServices(['recording-fetcher']);
  const secrets = generateSecrets();
  const queuePrefix = benchPrefix('fetcher');
  // s3rver's files on tmpfs when there is one: the disk's write-back of one phase's 1.8 GB must not
  // slow the next phase down (a real S3 is elsewhere, not on this disk).
  const s3Root = argValue('s3-dir') ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  const s3Directory = mkdtempSync(join(s3Root, 'callvault-bench-s3-'));
  const database = await createBenchDatabase();
  const cleanups: Array<() => Promise<unknown>> = [
    () => database.drop(),
    () => deleteRedisPrefix(MACHINE_REDIS, queuePrefix),
    async () => rmSync(s3Directory, { recursive: true, force: true }),
  ];
  try {
    const s3 = await startEmbeddedS3({ directory: s3Directory, buckets: [BUCKET] });
    cleanUpOnExit(() => s3.process.kill('SIGKILL'));
    cleanups.unshift(() => s3.stop());
    const sim = await startSimulator();
    cleanups.unshift(() => sim.stop());
    const redis = createRedis(MACHINE_REDIS, 'producer');
    const producer = createProducer(redis, queuePrefix);
    cleanups.unshift(async () => {
      await producer.close();
      redis.disconnect();
    });
    const account = await sim.createAccount();
    const world: World = {
      database,
      sim,
      s3Pid: s3.process.pid!,
      producer,
      account,
      stack: {
        databaseUrl: database.ownerUrl,
        redis: MACHINE_REDIS,
        queuePrefix,
        s3Endpoint: s3.endpoint,
        s3Bucket: BUCKET,
        secrets,
        simHost: sim.host,
        simBaseUrl: sim.baseUrl,
      },
      s3Client: embeddedS3Client(s3.endpoint),
    };
    const clearStorage = () => {
      for (const prefix of ['companies', 'baseline']) rmSync(join(s3Directory, BUCKET, prefix), { recursive: true, force: true });
    };

    console.log(`s3rver data directory: ${s3Directory}`);
    console.log(
      `(a) ${RECORDINGS} recordings of ${SECONDS} s, 2 channels, WAV (~${formatMb(SECONDS * 32_000)} MiB each); FETCHER_CONCURRENCY=${CONCURRENCY} per process`,
    );
    const results: PhaseResult[] = [];
    results.push(await baselinePhase(world, `baseline fetch+Upload, ${CONCURRENCY} at a time`, CONCURRENCY));
    clearStorage();
    const profileDir = hasFlag('profile') ? mkdtempSync(join(tmpdir(), 'callvault-fetcher-prof-')) : undefined;
    if (profileDir) cleanups.push(async () => rmSync(profileDir, { recursive: true, force: true }));
    results.push(await archivePhase(world, `1 fetcher process${profileDir ? ' (profiled)' : ''}`, 1, profileDir));
    clearStorage();
    results.push(await baselinePhase(world, `baseline fetch+Upload, ${2 * CONCURRENCY} at a time`, 2 * CONCURRENCY));
    clearStorage();
    results.push(await archivePhase(world, '2 fetcher processes', 2));
    clearStorage();
    console.log(`\nnode ${process.version}, 2 cores shared by simulator, s3rver, fetchers, Postgres and Redis\n`);
    printPhases(results);
    if (profileDir) {
      const summary = summarizeProfile(readProfile(profileDir), results[1]!.seconds + 3);
      console.log(
        `\nCPU profile of the fetcher process while archiving (busy ${(summary.busyMs / 1000).toFixed(1)} s of ${(summary.totalMs / 1000).toFixed(1)} s)\n`,
      );
      printProfileTables(summary);
    }

    if (!hasFlag('skip-rss')) {
      console.log('\n(b) peak memory archiving one large recording');
      for (const line of await peakRssPhase(world)) console.log(`  ${line}`);
      clearStorage();
    }
    if (!hasFlag('skip-fairness')) {
      console.log('\n(c) backfill lane: a fresh call behind a backlog');
      for (const line of await fairnessPhase(world)) console.log(`  ${line}`);
    }
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
  }
}

await main();
