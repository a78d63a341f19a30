/**
 * Outbound webhook delivery: how many events a second the operations worker delivers, and how long
 * from the commit that records an event to the customer's endpoint having it (p50/p99), beside a
 * bare HTTP POST loop to the same receiver in the same run (what the network and the receiver cost
 * at best). The receiver verifies every Standard Webhooks signature with node:crypto.
 *
 * The real path: the event is committed with its delivery and outbox row (as the fetcher does),
 * this process's outbox relay is woken (as the fetcher's is) and puts the job into Redis, the
 * operations service (its own process, 8 deliveries at a time) signs and POSTs it.
 *
 *   npx tsx bench/webhooks/run.ts [--events 2000] [--sequential 200]
 *
 * Two shapes for each: one at a time (latency with nothing queued) and a burst of --events
 * recorded by 8 writers at once (throughput; latency then includes the queue).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '@callvault/config';
import { createCompany, createDb, insertWebhookEndpoint, withCompany, withPlatform, type Db } from '@callvault/db';
import { createSecretBox } from '@callvault/crypto';
import { generateSigningSecret, recordOutboundEvent, sealSigningSecret } from '@callvault/outbound-events';
import { connectProducer } from '@callvault/queue';
import { createOutboxRelay } from '@callvault/service-kit';
import { startEmbeddedS3, startStandardWebhooksReceiver, type StandardWebhooksReceiver } from '@callvault/testing';
import { createLogger } from '@callvault/logging';
import { createBenchDatabase } from '../lib/bench-database';
import { cleanUpOnExit, sleep, waitForQuietMachine } from '../lib/child-process';
import { argValue, formatMs, percentile, printTable } from '../lib/report';
import { benchPrefix, deleteRedisPrefix, MACHINE_REDIS, generateSecrets, startService } from '../lib/stack';

const EVENTS = Number(argValue('events') ?? 2_000);
const SEQUENTIAL = Number(argValue('sequential') ?? 200);
const WARMUP = 50;
/** The operations worker's webhook-delivery concurrency (services/operations/src/main.ts). */
const IN_FLIGHT = 8;

interface Row {
  label: string;
  count: number;
  perSecond: number;
  latencies: number[];
}

const now = () => performance.timeOrigin + performance.now();

/** What it costs to POST a signed body of the same size to the receiver, `inFlight` at a time. */
async function barePosts(receiver: StandardWebhooksReceiver, secret: string, count: number, inFlight: number, label: string): Promise<Row> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const signer = new Webhook(secret);
  const url = new URL(receiver.url);
  const post = () =>
    new Promise<number>((resolve, reject) => {
      const id = randomUUID();
      const body = JSON.stringify({
        type: 'recording.stored',
        timestamp: new Date().toISOString(),
        data: { companyId: randomUUID(), recordingId: randomUUID(), callId: null, sizeBytes: 1 },
      });
      const started = now();
      const headers = {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': signer.sign(id, new Date(), body),
      };
      const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
        response.resume();
        response.on('end', () => (response.statusCode === 204 ? resolve(now() - started) : reject(new Error(`receiver answered ${response.statusCode}`))));
      });
      request.on('error', reject);
      request.end(body);
    });
  const latencies: number[] = [];
  let next = 0;
  const started = now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        next += 1;
        latencies.push(await post());
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  agent.destroy();
  return { label, count, perSecond: count / seconds, latencies };
}

interface Pipeline {
  db: Db;
  companyId: string;
  receiver: StandardWebhooksReceiver;
  wakeRelay: () => void;
}

let sequence = 0;
const recordedAt = new Map<number, number>();

/** One event committed as the fetcher commits it; returns its sequence number (carried as sizeBytes). */
async function recordEvent(pipeline: Pipeline): Promise<number> {
  sequence += 1;
  const seq = sequence;
  await withCompany(pipeline.db, pipeline.companyId, (tx) =>
    recordOutboundEvent(tx, 'recording.stored', { recordingId: randomUUID(), callId: randomUUID(), format: 'wav', sizeBytes: seq, sha256: '0'.repeat(64) }),
  );
  recordedAt.set(seq, now());
  pipeline.wakeRelay();
  return seq;
}

async function waitForAccepted(receiver: StandardWebhooksReceiver, total: number, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (receiver.accepted.length < total) {
    if (Date.now() > deadline) throw new Error(`only ${receiver.accepted.length} of ${total} deliveries arrived`);
    await sleep(1);
  }
}

/** Latency of each delivery accepted from index `from` on: received minus committed. */
function latenciesSince(receiver: StandardWebhooksReceiver, from: number): number[] {
  return receiver.accepted.slice(from).map((webhook) => webhook.receivedAt - recordedAt.get(JSON.parse(webhook.body).data.sizeBytes)!);
}

async function deliveries(pipeline: Pipeline, count: number, writers: number, label: string): Promise<Row> {
  const { receiver } = pipeline;
  const from = receiver.accepted.length;
  const started = now();
  if (writers === 1) {
    for (let i = 0; i < count; i++) {
      await recordEvent(pipeline);
      await waitForAccepted(receiver, from + i + 1);
    }
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < count) {
          next += 1;
          await recordEvent(pipeline);
        }
      }),
    );
  }
  await waitForAccepted(receiver, from + count);
  const seconds = (receiver.accepted.at(-1)!.receivedAt - started) / 1000;
  return { label, count, perSecond: count / seconds, latencies: latenciesSince(receiver, from) };
}

/** The worker's own view (its /metrics): mean time of a completed delivery job, all runs included. */
async function meanJobMs(operationsUrl: string): Promise<{ meanMs: number; jobs: number }> {
  const text = await (await fetch(`${operationsUrl}/metrics`)).text();
  const value = (name: string) => {
    const line = text
      .split('\n')
      .find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes('queue="webhook-delivery"') && candidate.includes('outcome="completed"'));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
  };
  const jobs = value('callvault_job_duration_seconds_count');
  return { meanMs: (value('callvault_job_duration_seconds_sum') / jobs) * 1000, jobs };
}

async function main(): Promise<void> {
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    console.log(`bench:webhooks: ${EVENTS} events in a burst, ${SEQUENTIAL} one at a time (after ${WARMUP} to warm up)`);
    const database = await createBenchDatabase(undefined, 'callvault_bench_webhooks');
    cleanups.unshift(() => database.drop());
    const s3Directory = mkdtempSync(join(tmpdir(), 'callvault-bench-webhooks-s3-'));
    cleanups.unshift(async () => rmSync(s3Directory, { recursive: true, force: true }));
    const s3 = await startEmbeddedS3({ directory: s3Directory, buckets: ['bench-webhooks'] });
    cleanUpOnExit(() => s3.process.kill('SIGKILL'));
    cleanups.unshift(() => s3.stop());
    const secrets = generateSecrets();
    const queuePrefix = benchPrefix('webhooks');
    cleanups.unshift(() => deleteRedisPrefix(MACHINE_REDIS, queuePrefix));

    const config = loadConfig({ DATABASE_URL: database.ownerUrl }, []);
    const db = createDb(config.DATABASE_APP_URL, { poolSize: 10, applicationName: 'callvault-bench-webhooks' });
    cleanups.unshift(() => db.destroy());
    const producer = connectProducer(MACHINE_REDIS, queuePrefix);
    cleanups.unshift(() => producer.close());
    const relay = createOutboxRelay({ db, producer, log: createLogger({ name: 'bench-webhooks', level: 'warn' }) });
    relay.start();
    cleanups.unshift(() => relay.stop());

    const secret = generateSigningSecret();
    const receiver = await startStandardWebhooksReceiver(secret);
    cleanups.unshift(() => receiver.stop());
    const box = createSecretBox(secrets.SECRETS_KEY);
    const companyId = (await withPlatform(db, (tx) => createCompany(tx, { name: 'Bench webhooks' }))).id;
    await withCompany(db, companyId, (tx) =>
      insertWebhookEndpoint(tx, { url: receiver.url, description: null, eventTypes: ['recording.stored'] }, (id) =>
        sealSigningSecret(box, companyId, id, secret),
      ),
    );

    const operations = await startService('operations', {
      databaseUrl: database.ownerUrl,
      redis: MACHINE_REDIS,
      queuePrefix,
      s3Endpoint: s3.endpoint,
      s3Bucket: 'bench-webhooks',
      secrets,
      simHost: '127.0.0.1',
      simBaseUrl: 'http://127.0.0.1:9',
    });
    cleanups.unshift(() => operations.process.stop());

    const pipeline: Pipeline = { db, companyId, receiver, wakeRelay: () => relay.wake() };
    await deliveries(pipeline, WARMUP, IN_FLIGHT, 'warm-up');
    await barePosts(receiver, secret, WARMUP, IN_FLIGHT, 'warm-up');
    const busy = await waitForQuietMachine({ maxWaitMs: 20_000 });
    console.log(`machine busy before the timed run: ${busy.toFixed(0)} % of one core`);

    const rows = [
      await barePosts(receiver, secret, SEQUENTIAL, 1, 'bare POST, one at a time'),
      await deliveries(pipeline, SEQUENTIAL, 1, 'webhook delivery, one at a time'),
      await barePosts(receiver, secret, EVENTS, IN_FLIGHT, `bare POST, ${IN_FLIGHT} in flight`),
      await deliveries(pipeline, EVENTS, IN_FLIGHT, `webhook delivery, burst (${IN_FLIGHT} writers)`),
    ];
    if (receiver.refused.length > 0) throw new Error(`${receiver.refused.length} requests failed signature verification: ${receiver.refused[0]!.reason}`);
    printTable(
      ['', 'requests', 'per s', 'p50 ms', 'p99 ms', 'max ms'],
      rows.map((row) => [
        row.label,
        row.count,
        row.perSecond.toFixed(0),
        formatMs(percentile(row.latencies, 0.5)),
        formatMs(percentile(row.latencies, 0.99)),
        formatMs(Math.max(...row.latencies)),
      ]),
    );
    console.log('latency: bare POST = request sent to answer read; webhook delivery = commit of the event to the receiver having the body');
    const worker = await meanJobMs(operations.baseUrl);
    console.log(
      `operations worker: ${worker.jobs} delivery jobs, ${formatMs(worker.meanMs)} ms each on average (${IN_FLIGHT} at a time: a ceiling of ${(IN_FLIGHT / (worker.meanMs / 1000)).toFixed(0)} deliveries/s)`,
    );
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error) => console.error('cleanup:', error));
  }
}

await main();
