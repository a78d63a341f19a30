/**
 * Two gateway source trees side by side on one kept bench database: the same requests alternate
 * between them in blocks (20 to A, 20 to B, then B first, …), so both are timed in the same
 * seconds. Blocks, not single requests: what a gateway does after its answer (a COMMIT, a count
 * sent to Redis) would otherwise land inside the other's request and hide the change; a block's
 * first request, which meets the other's leftovers, is not timed. On a shared machine whose speed
 * drifts by tens of percent from minute to minute, this is how a change is told from the noise
 * (two `bench:gateway` runs minutes apart are not).
 *
 *   git worktree add /tmp/before <commit> && (cd /tmp/before && npx -y pnpm@10 install --offline)
 *   npx tsx bench/gateway/compare.ts --database <kept name> --a /tmp/before --b . [--route /v1/recordings] [--role company_admin] [--requests 3000] [--block 20] [--rate-limit 600]
 *     [--a-node-args '<flags>'] [--b-node-args '<flags>']
 *
 * With the same tree twice and node flags on one side, it compares runtime settings instead (a
 * V8 heap size, say): `--a . --b . --b-node-args '--max-semi-space-size=32'`.
 *
 * Prints p50 and p99 of each, and the gateway process's CPU per request (user + system, from
 * /proc), which is steadier than latency. Both gateways run from their sources through tsx, with
 * the same secrets, Redis and storage; the first fifth of the requests warm them and are not kept.
 * The rate limit is raised out of the way (each caller makes every request of the run), unless
 * `--rate-limit <per minute>` sets it: the default 600 with `--role agent` (42 callers, counted
 * in one Redis by both gateways) measures the limit's own cost as deployed; up to 5,000 requests,
 * no caller passes half its budget, where every request waits for Redis.
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
const NODE_ARGS = [argValue('a-node-args'), argValue('b-node-args')].map((flags) => flags?.split(/\s+/).filter(Boolean) ?? []);
const ROUTE = argValue('route') ?? '/v1/recordings';
const ROLE = (argValue('role') ?? 'company_admin') as 'agent' | 'manager' | 'company_admin';
const REQUESTS = Number(argValue('requests') ?? 3000);
const BLOCK = Number(argValue('block') ?? 20);
const RATE_LIMIT = argValue('rate-limit') ?? '1000000';

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
    for (const [index, tree] of TREES.map((given) => resolve(given!)).entries()) {
      const nodeArgs = NODE_ARGS[index]!;
      const label = `gateway (${tree}${nodeArgs.length ? ` ${nodeArgs.join(' ')}` : ''})`;
      const gateway = await startService('gateway', stack, { tree, label, nodeArgs, extraEnv: { RATE_LIMIT_PER_MINUTE: RATE_LIMIT } });
      gateways.push({ ...gateway, tree: label });
    }
    const tokens = await Promise.all(world.users[ROLE].map((user) => mintToken({ secret: secrets.AUTH_JWT_SECRET, subject: user.subject, ttlSeconds: 3600 })));
    // Whole blocks: the warm-up ends where a pair of blocks starts.
    const warmup = Math.ceil(REQUESTS / 5 / (2 * BLOCK)) * 2 * BLOCK;
    const times: number[][] = [[], []];
    const served = [0, 0];
    const cpuAtWarm = [0, 0];
    for (let start = 0; start < REQUESTS; start += BLOCK) {
      if (start === warmup) for (const [index, gateway] of gateways.entries()) cpuAtWarm[index] = cpuMs(gateway.process.pid);
      // Who goes first alternates: neither always runs right after the other.
      for (const index of (start / BLOCK) % 2 === 0 ? [0, 1] : [1, 0]) {
        for (let i = start; i < Math.min(start + BLOCK, REQUESTS); i++) {
          const response = await get(`${gateways[index]!.baseUrl}${ROUTE}`, tokens[i % tokens.length]!);
          if (response.status !== 200) throw new Error(`${ROUTE} on ${gateways[index]!.tree}: ${response.status} ${response.body.slice(0, 300)}`);
          if (i < warmup) continue;
          served[index]! += 1;
          // A block's first request meets what the other gateway left to do after its last answer.
          if (BLOCK === 1 || i > start) times[index]!.push(response.ms);
        }
      }
    }
    console.log(`\n${ROUTE} as ${ROLE}: ${times[0]!.length} timed requests to each after ${warmup} warm-up, in alternating blocks of ${BLOCK}\n`);
    printTable(
      ['tree', 'p50 ms', 'p99 ms', 'gateway CPU ms/request'],
      gateways.map((gateway, index) => [
        `${index === 0 ? 'A' : 'B'} ${gateway.tree}`,
        formatMs(percentile(times[index]!, 0.5)),
        formatMs(percentile(times[index]!, 0.99)),
        ((cpuMs(gateway.process.pid) - cpuAtWarm[index]!) / served[index]!).toFixed(3),
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
