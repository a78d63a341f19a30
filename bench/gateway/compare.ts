/**
 * Two gateway source trees side by side on one kept bench database: the same requests alternate
 * between them (A, B, then B, A, …), so both are timed in the same seconds. On a shared machine
 * whose speed drifts by tens of percent from minute to minute, this is how a change is told from
 * the noise (two `bench:gateway` runs minutes apart are not).
 *
 *   git worktree add /tmp/before <commit> && (cd /tmp/before && npx -y pnpm@10 install --offline)
 *   npx tsx bench/gateway/compare.ts --database <kept name> --a /tmp/before --b . [--route /v1/recordings] [--role company_admin] [--requests 3000]
 *
 * Prints p50 and p99 of each, and the gateway process's CPU per request (user + system, from
 * /proc), which is steadier than latency. Both gateways run from their sources through tsx, with
 * the same secrets, Redis and storage; the first fifth of the requests warm them and are not kept.
 * The rate limit is raised out of the way: each caller makes every request of the run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mintToken } from '@callvault/auth';
import { startEmbeddedS3 } from '@callvault/testing';
import { openBenchDatabase } from '../lib/bench-database';
import { keepAliveGetter } from '../lib/keep-alive-get';
import { argValue, formatMs, percentile, printTable } from '../lib/report';
import { benchPrefix, deleteRedisPrefix, generateSecrets, MACHINE_REDIS, startService, type RunningService } from '../lib/stack';
import { describeGatewayWorld } from './seed';

const DATABASE = argValue('database');
const TREES = [argValue('a'), argValue('b')];
const ROUTE = argValue('route') ?? '/v1/recordings';
const ROLE = (argValue('role') ?? 'company_admin') as 'agent' | 'manager' | 'company_admin';
const REQUESTS = Number(argValue('requests') ?? 3000);

/** CPU milliseconds (user + system) a process has used so far. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10; // USER_HZ is 100 on Linux
}

async function main(): Promise<void> {
  if (!DATABASE || TREES.some((tree) => !tree))
    throw new Error('usage: compare.ts --database <kept bench database> --a <tree> --b <tree> [--route] [--role] [--requests]');
  const database = await openBenchDatabase(DATABASE);
  const secrets = generateSecrets();
  const queuePrefix = benchPrefix('gateway-compare');
  const s3Directory = mkdtempSync(join(tmpdir(), 'callvault-compare-s3-'));
  const s3 = await startEmbeddedS3({ directory: s3Directory, buckets: ['bench-compare'] });
  const { get, close: closeConnections } = keepAliveGetter();
  const gateways: Array<RunningService & { tree: string }> = [];
  try {
    const world = await describeGatewayWorld(database.ownerUrl);
    const stack = {
      databaseUrl: database.ownerUrl,
      redis: MACHINE_REDIS,
      queuePrefix,
      s3Endpoint: s3.endpoint,
      s3Bucket: 'bench-compare',
      secrets,
      simHost: '127.0.0.1:9',
      simBaseUrl: 'http://127.0.0.1:9',
    };
    for (const tree of TREES.map((given) => resolve(given!))) {
      const gateway = await startService('gateway', stack, { tree, label: `gateway (${tree})`, extraEnv: { RATE_LIMIT_PER_MINUTE: '1000000' } });
      gateways.push({ ...gateway, tree });
    }
    const tokens = await Promise.all(world.users[ROLE].map((user) => mintToken({ secret: secrets.AUTH_JWT_SECRET, subject: user.subject, ttlSeconds: 3600 })));
    const warmup = Math.floor(REQUESTS / 5);
    const times: number[][] = [[], []];
    const cpuAtWarm = [0, 0];
    for (let i = 0; i < REQUESTS; i++) {
      if (i === warmup) for (const [index, gateway] of gateways.entries()) cpuAtWarm[index] = cpuMs(gateway.process.pid);
      // Who goes first alternates: neither always runs right after the other.
      for (const index of i % 2 === 0 ? [0, 1] : [1, 0]) {
        const response = await get(`${gateways[index]!.baseUrl}${ROUTE}`, tokens[i % tokens.length]!);
        if (response.status !== 200) throw new Error(`${ROUTE} on ${gateways[index]!.tree}: ${response.status} ${response.body.slice(0, 300)}`);
        if (i >= warmup) times[index]!.push(response.ms);
      }
    }
    const kept = REQUESTS - warmup;
    console.log(`\n${ROUTE} as ${ROLE}: ${kept} requests to each after ${warmup} warm-up, alternating\n`);
    printTable(
      ['tree', 'p50 ms', 'p99 ms', 'gateway CPU ms/request'],
      gateways.map((gateway, index) => [
        `${index === 0 ? 'A' : 'B'} ${gateway.tree}`,
        formatMs(percentile(times[index]!, 0.5)),
        formatMs(percentile(times[index]!, 0.99)),
        ((cpuMs(gateway.process.pid) - cpuAtWarm[index]!) / kept).toFixed(3),
      ]),
    );
  } finally {
    closeConnections();
    for (const gateway of gateways) await gateway.process.stop();
    await s3.stop();
    await deleteRedisPrefix(MACHINE_REDIS, queuePrefix);
    rmSync(s3Directory, { recursive: true, force: true });
    await database.close();
  }
}

await main();
