/**
 * Read latency of the gateway on a large tenant: 1,000,000 recordings across 1,000 companies, one
 * company holding 20 % (42 agents in 6 teams of 7 with their managers, 6 company admins), and
 * transcripts for 10 % of the recordings.
 * The gateway runs as its own process; requests go over HTTP, one at a time, with the caller's JWT:
 *   - GET /healthz (no auth, no database) and GET /v1/me (authentication only): the baselines;
 *   - GET /v1/recordings first page, and a deep page (cursor from walking 50 pages of 100);
 *   - GET /v1/recordings/stats; GET /v1/search?q=<common word> and q=<rare word>;
 * for agents, managers and company admins of the big company (each row with its own user: the
 * gateway limits a user to 600 requests a minute). A missed target prints the
 * EXPLAIN ANALYZE of the exact SQL the repository issues (captured from Kysely), as the app role.
 * Beside each row: the round trips to Postgres one request costs (a second gateway behind a
 * counting proxy), and the raw-SQL floor: the same repository statements with the same parameters
 * and scope settings sent straight through `pg`, with the gateway/SQL ratio of the p50s. The floor
 * and /healthz are timed right after the row's own requests, so that the row and its bound come
 * from the same seconds of a shared machine whose speed drifts from minute to minute.
 *
 *   npx tsx bench/gateway/run.ts [--recordings 1000000] [--companies 1000] [--requests 200] [--explain] [--keep] [--database <kept name>] [--built]
 *
 * `--keep` leaves the seeded database in place; `--database <name>` measures that kept database
 * again (migrated to the latest schema, not reseeded), so a before/after pair reads the same rows.
 * `--built` runs the gateways from their production bundle, as the image does (build it first:
 * pnpm build); without it they run from the sources through tsx.
 *
 * Targets (issue #17): p99 < 10 ms for list pages at any depth and for stats, < 50 ms for search;
 * p50 ≤ 2 × (SQL p50 + /healthz p50) for list pages and stats; /v1/me p50 within 0.5 ms of /healthz.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect, sql, type CompiledQuery as Compiled } from 'kysely';
import pg from 'pg';
import { mintToken } from '@callvault/auth';
import { listRecordingsPage, readDailyStats, searchTranscripts, withReadScope, type Database, type ReadScope } from '@callvault/db';
import { startEmbeddedS3 } from '@callvault/testing';
import { createBenchDatabase, openBenchDatabase } from '../lib/bench-database';
import { cleanUpOnExit, waitForQuietMachine } from '../lib/child-process';
import { keepAliveGetter } from '../lib/keep-alive-get';
import { argValue, formatMs, hasFlag, percentile, printTable } from '../lib/report';
import { benchPrefix, deleteRedisPrefix, MACHINE_REDIS, generateSecrets, startService } from '../lib/stack';
import { startPgRoundTripCounter } from '@callvault/testing';
import { captureStatements, openRawSql, type RepoCall } from './raw-sql';
import { COMMON_WORD, describeGatewayWorld, RARE_WORD, seedGatewayWorld, type SeededWorld } from './seed';

const RECORDINGS = Number(argValue('recordings') ?? 1_000_000);
const COMPANIES = Number(argValue('companies') ?? 1_000);
const REQUESTS = Number(argValue('requests') ?? 200);
const BUILT = hasFlag('built');
const WARMUP = 20;
const WALK_PAGES = 50;

const { get, close: closeConnections } = keepAliveGetter();

interface Series {
  label: string;
  role: string;
  url: string;
  token?: string | undefined;
  target?: number | undefined;
  /** The p50 target: within 0.5 ms of /healthz (authentication), or 2 × (SQL + /healthz) (a route with `repo`). */
  p50Target?: 'healthz' | 'sql' | undefined;
  /** The repository call behind the route: for EXPLAIN (when the target is missed) and the raw-SQL baseline. */
  repo?: { scope: ReadScope; work: RepoCall } | undefined;
}

interface Measured extends Series {
  p50: number;
  p99: number;
  max: number;
  failures: number;
  bytes: number;
  /** Round trips to Postgres per request, in the steady state (counted on a second gateway behind a counting proxy). */
  roundTrips?: number;
  /** /healthz, timed right after this row. */
  healthzP50: number;
  raw?: { p50: number; p99: number; roundTrips: number };
}

/** `run` timed WARMUP + REQUESTS times back to back; the warm-up is not kept. */
async function timed(run: () => Promise<number>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const ms = await run();
    if (i >= WARMUP) times.push(ms);
  }
  return times;
}

/**
 * A row's requests, then its raw SQL (when it has a repository call), then /healthz, each back to
 * back as the row's were: the baselines are timed in the seconds right after their row, in the
 * same steady state. (Alternating the three, with or without a pause, times none of them in its
 * steady state: here the SQL took twice as long that way.)
 */
async function measure(series: Series, baselines: { appUrl: string; healthzUrl: string }): Promise<Measured> {
  let failures = 0;
  let bytes = 0;
  const times = await timed(async () => {
    const response = await get(series.url, series.token);
    if (response.status !== 200) {
      failures++;
      if (failures === 1) console.error(`${series.label} (${series.role}): ${response.status} ${response.body.slice(0, 300)}`);
    }
    bytes = response.body.length;
    return response.ms;
  });
  let raw: Measured['raw'];
  if (series.repo) {
    const statements = await openRawSql(baselines.appUrl, await captureStatements(baselines.appUrl, series.repo.scope, series.repo.work));
    try {
      const rawTimes = await timed(() => statements.once());
      raw = { p50: percentile(rawTimes, 0.5), p99: percentile(rawTimes, 0.99), roundTrips: statements.roundTrips };
    } finally {
      await statements.close();
    }
  }
  const healthz = await timed(async () => (await get(baselines.healthzUrl)).ms);
  return {
    ...series,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    max: Math.max(...times),
    failures,
    bytes,
    healthzP50: percentile(healthz, 0.5),
    ...(raw ? { raw } : {}),
  };
}

/** The p50 a row must not exceed, from the baselines timed beside it, and whether it held: '-' for a row without one. */
function p50Verdict(row: Measured): [bound: string, verdict: string] {
  const bound = row.p50Target === 'healthz' ? row.healthzP50 + 0.5 : row.p50Target === 'sql' && row.raw ? 2 * (row.raw.p50 + row.healthzP50) : undefined;
  return bound === undefined ? ['-', '-'] : [formatMs(bound), row.p50 <= bound ? 'met' : 'MISSED'];
}

/** Follows `pages` pages of `pageSize` and returns the cursor there; checks the walk is gap- and duplicate-free. */
async function walk(baseUrl: string, token: string, pages: number, pageSize: number): Promise<{ cursor: string; ids: string[]; duplicates: number }> {
  let cursor: string | null = null;
  const ids: string[] = [];
  for (let page = 0; page < pages; page++) {
    const response = await get(`${baseUrl}/v1/recordings?limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    if (response.status !== 200) throw new Error(`walk page ${page}: ${response.status} ${response.body.slice(0, 300)}`);
    const body = JSON.parse(response.body) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...body.items.map((item) => item.id));
    if (!body.nextCursor) throw new Error(`walk ended after ${page + 1} pages: not enough recordings in scope`);
    cursor = body.nextCursor;
  }
  return { cursor: cursor!, ids, duplicates: ids.length - new Set(ids).size };
}

/**
 * Runs `work` as the app role in its scope, capturing the SQL it sends, then EXPLAIN ANALYZEs each
 * statement. The session is the owner's (a superuser here) switched to the app role, so it can load
 * auto_explain: the plans of statements run inside functions (the company search index's
 * SECURITY DEFINER function, which EXPLAIN shows as one Function Scan) are printed after their caller's.
 */
async function explainRepoCall(ownerUrl: string, scope: ReadScope, work: RepoCall): Promise<string[]> {
  const captured: Compiled[] = [];
  const nested: string[] = [];
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 1 });
  pool.on('connect', (client) => {
    client.on('notice', (notice) => {
      // auto_explain also logs the top-level statements: the EXPLAIN itself and the scope statement.
      const text = notice.message ?? '';
      if (text.includes('Query Text:') && !/Query Text: (EXPLAIN|\/\* callvault:scope)/.test(text)) nested.push(text);
    });
    void client
      .query(
        `LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on;
       SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on; SET client_min_messages = log; SET ROLE callvault_app`,
      )
      .catch((error: unknown) => nested.push(`auto_explain could not be loaded: ${String(error)}`));
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query' && /^\s*(select|with)\b/i.test(event.query.sql) && !/set_config/.test(event.query.sql)) captured.push(event.query);
    },
  });
  try {
    await withReadScope(db, scope, work);
    const plans: string[] = [];
    for (const query of captured) {
      nested.length = 0;
      const result = await withReadScope(db, scope, (tx) =>
        tx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, [...query.parameters])),
      );
      plans.push(`SQL: ${query.sql.replace(/\s+/g, ' ')}\n${result.rows.map((row) => `  ${row['QUERY PLAN']}`).join('\n')}`);
      for (const plan of nested) plans.push(`  inside it (auto_explain):\n${plan.replace(/^/gm, '    ')}`);
    }
    return plans;
  } finally {
    await db.destroy();
  }
}

async function positionAt(ownerUrl: string, companyId: string, owners: string[] | null, offset: number): Promise<{ value: string; id: string }> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const result = await client.query<{ value: string; id: string }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS value, id FROM recordings
       WHERE company_id = $1 AND status <> 'deleted' AND ($2::uuid[] IS NULL OR owner_user_id = ANY($2::uuid[]))
       ORDER BY created_at DESC, id DESC OFFSET $3 LIMIT 1`,
      [companyId, owners, offset],
    );
    return result.rows[0]!;
  } finally {
    await client.end();
  }
}

async function firstIdsBySql(ownerUrl: string, companyId: string, owners: string[] | null, count: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const result = await client.query<{ id: string }>(
      `SELECT id FROM recordings WHERE company_id = $1 AND status <> 'deleted' AND ($2::uuid[] IS NULL OR owner_user_id = ANY($2::uuid[]))
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [companyId, owners, count],
    );
    return result.rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const secrets = generateSecrets();
  const queuePrefix = benchPrefix('gateway');
  const s3Directory = mkdtempSync(join(tmpdir(), 'callvault-bench-s3-'));
  const seedStarted = performance.now();
  const reused = argValue('database');
  const database = reused ? await openBenchDatabase(reused) : await createBenchDatabase();
  const cleanups: Array<() => Promise<unknown>> = [
    () => deleteRedisPrefix(MACHINE_REDIS, queuePrefix),
    async () => rmSync(s3Directory, { recursive: true, force: true }),
  ];
  if (!hasFlag('keep') && !reused) cleanups.unshift(() => database.drop());
  else {
    cleanups.unshift(() => database.close());
    console.log(`database ${database.name} is left in place (drop it with: DROP DATABASE ${database.name})`);
  }
  try {
    let world: SeededWorld;
    if (reused) {
      await sql`ANALYZE`.execute(database.owner);
      world = await describeGatewayWorld(database.ownerUrl);
      console.log(`reusing ${database.name} (migrated to the latest schema, analyzed):`);
    } else {
      console.log(`seeding ${RECORDINGS} recordings across ${COMPANIES} companies into ${database.name}:`);
      world = await seedGatewayWorld(
        database.ownerUrl,
        { recordings: RECORDINGS, companies: COMPANIES, bigShare: 0.2, transcriptShare: 0.1, days: 90 },
        (line) => console.log(line),
      );
    }
    console.log(`  total ${((performance.now() - seedStarted) / 1000).toFixed(0)} s: ${JSON.stringify(world.counts)}`);

    const s3 = await startEmbeddedS3({ directory: s3Directory, buckets: ['bench-gateway'] });
    cleanUpOnExit(() => s3.process.kill('SIGKILL'));
    cleanups.unshift(() => s3.stop());
    // The gateway as its own process on `databaseUrl` (the direct one, or through the counting proxy).
    const startGateway = (databaseUrl: string) =>
      startService(
        'gateway',
        {
          databaseUrl,
          redis: MACHINE_REDIS,
          queuePrefix,
          s3Endpoint: s3.endpoint,
          s3Bucket: 'bench-gateway',
          secrets,
          simHost: '127.0.0.1:9',
          simBaseUrl: 'http://127.0.0.1:9',
        },
        { built: BUILT },
      );
    const gateway = await startGateway(database.ownerUrl);
    cleanups.unshift(() => gateway.process.stop());
    const base = gateway.baseUrl;
    const appUrl = (() => {
      const url = new URL(database.ownerUrl);
      url.username = 'callvault_app';
      return url.toString();
    })();

    const token = (subject: string) => mintToken({ secret: secrets.AUTH_JWT_SECRET, subject, ttlSeconds: 3600 });
    const company = world.bigCompanyId;
    // The gateway allows 600 requests per user per minute: each row below is measured with its own
    // user of the role (same shape of scope), so no row is throttled.
    const series: Series[] = [{ label: 'GET /healthz (baseline: HTTP only)', role: '-', url: `${base}/healthz` }];
    const walks: string[] = [];
    for (const role of ['agent', 'manager', 'company_admin'] as const) {
      const users = world.users[role];
      const user = async (index: number) => {
        const chosen = users[index % users.length]!;
        return { ...chosen, token: await token(chosen.subject), scope: { kind: 'company', companyId: company, ownerUserIds: chosen.owners } as ReadScope };
      };
      const [me, first, deepUser, stats, common, rare] = await Promise.all([0, 1, 2, 3, 4, 5].map(user));
      const inScope = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM recordings WHERE company_id = ${company}::uuid AND status <> 'deleted' AND (${deepUser!.owners}::uuid[] IS NULL OR owner_user_id = ANY(${deepUser!.owners}::uuid[]))
      `.execute(database.owner);
      // As deep as the scope allows, up to 50 pages of 100 (the cursor's page size is not part of the list).
      const pageSize = Math.min(100, Math.floor((inScope.rows[0]!.n - 30) / WALK_PAGES));
      const walked = await walk(base, deepUser!.token, WALK_PAGES, pageSize);
      const expected = await firstIdsBySql(database.ownerUrl, company, deepUser!.owners, walked.ids.length);
      const seen = new Set(walked.ids);
      // The order is compared with SQL's, not recomputed from createdAt: the API's timestamps stop
      // at milliseconds, the sort (and the cursor) uses Postgres's microseconds.
      const ordered = walked.ids.every((id, index) => id === expected[index]);
      walks.push(
        `${role} (${inScope.rows[0]!.n} recordings in scope): walked ${WALK_PAGES} pages of ${pageSize} (${walked.ids.length} rows): order ${ordered ? 'same as SQL' : 'DIFFERS FROM SQL'}, duplicates ${walked.duplicates}, rows skipped vs SQL ${expected.filter((id) => !seen.has(id)).length}`,
      );
      const deep = await positionAt(database.ownerUrl, company, deepUser!.owners, walked.ids.length - 1);
      const listCall = (entry: Awaited<ReturnType<typeof user>>, after: { value: string; id: string } | null) => ({
        scope: entry.scope,
        work: (tx: Parameters<RepoCall>[0]) => listRecordingsPage(tx, { filters: {}, sortBy: 'createdAt', sortOrder: 'desc', limit: 26, after }),
      });
      series.push(
        { label: 'GET /v1/me (baseline: authentication)', role, url: `${base}/v1/me`, token: me!.token, p50Target: 'healthz' },
        {
          label: 'GET /v1/recordings first page',
          role,
          url: `${base}/v1/recordings`,
          token: first!.token,
          target: 10,
          p50Target: 'sql',
          repo: listCall(first!, null),
        },
        {
          label: `GET /v1/recordings page ${Math.floor((WALK_PAGES * pageSize) / 25) + 1} (cursor)`,
          role,
          url: `${base}/v1/recordings?cursor=${encodeURIComponent(walked.cursor)}`,
          token: deepUser!.token,
          target: 10,
          p50Target: 'sql',
          repo: listCall(deepUser!, deep),
        },
        {
          label: 'GET /v1/recordings/stats',
          role,
          url: `${base}/v1/recordings/stats`,
          token: stats!.token,
          target: 10,
          p50Target: 'sql',
          repo: { scope: stats!.scope, work: (tx) => readDailyStats(tx, { from: null, to: null }) },
        },
        {
          label: `GET /v1/search?q=${COMMON_WORD} (common)`,
          role,
          url: `${base}/v1/search?q=${COMMON_WORD}`,
          token: common!.token,
          target: 50,
          repo: { scope: common!.scope, work: (tx) => searchTranscripts(tx, { q: COMMON_WORD, limit: 26, after: null }) },
        },
        {
          label: `GET /v1/search?q=${RARE_WORD} (rare)`,
          role,
          url: `${base}/v1/search?q=${RARE_WORD}`,
          token: rare!.token,
          target: 50,
          repo: { scope: rare!.scope, work: (tx) => searchTranscripts(tx, { q: RARE_WORD, limit: 26, after: null }) },
        },
      );
    }

    const busy = await waitForQuietMachine({ maxWaitMs: 60_000 });
    console.log(`\nmachine busy before measuring: ${busy.toFixed(0)} % of one core (200 % = both)`);
    // Every route is warmed before any is timed: otherwise the first rows pay for the JIT compiling
    // the paths (authentication, serialization) that the later rows share.
    for (const entry of series) for (let i = 0; i < WARMUP; i++) await get(entry.url, entry.token);
    const results: Measured[] = [];
    for (const entry of series) results.push(await measure(entry, { appUrl, healthzUrl: `${base}/healthz` }));

    // Round trips per request: a second gateway reaches Postgres through a counting proxy (its extra
    // hop would skew the timings above, so they come from the direct one).
    const counter = await startPgRoundTripCounter(Number(new URL(database.ownerUrl).port || 5432));
    cleanups.unshift(() => counter.close());
    const countedUrl = new URL(database.ownerUrl);
    countedUrl.hostname = '127.0.0.1';
    countedUrl.port = String(counter.port);
    const counted = await startGateway(countedUrl.toString());
    cleanups.unshift(() => counted.process.stop());
    const COUNTED = 10;
    for (const result of results) {
      const url = result.url.replace(base, counted.baseUrl);
      for (let i = 0; i < 3; i++) await get(url, result.token); // warm: caches filled, connections open
      await new Promise((resolve) => setTimeout(resolve, 200)); // the readiness probes' own queries settle
      counter.reset();
      for (let i = 0; i < COUNTED; i++) await get(url, result.token);
      result.roundTrips = counter.counts().roundTrips / COUNTED;
    }

    const bigCount = await sql<{ n: number }>`SELECT count(*)::int AS n FROM recordings WHERE company_id = ${company}::uuid`.execute(database.owner);
    const bigRecordings = bigCount.rows[0]!.n;
    console.log(
      `\nnode ${process.version}; big company: ${bigRecordings} recordings; ${REQUESTS} sequential requests per row after ${WARMUP} warm-up, keep-alive HTTP to a gateway process (${BUILT ? 'production bundle' : 'sources through tsx'})\n`,
    );
    printTable(
      [
        'request',
        'role',
        'p50 ms',
        'p99 ms',
        'max ms',
        'body bytes',
        'non-200',
        'target p99',
        'verdict',
        'p50 bound',
        'p50 verdict',
        'PG RT/req',
        'SQL p50',
        'SQL p99',
        'SQL RT',
        'gw/SQL p50',
      ],
      results.map((r) => [
        r.label,
        r.role,
        formatMs(r.p50),
        formatMs(r.p99),
        formatMs(r.max),
        r.bytes,
        r.failures,
        r.target ? `< ${r.target} ms` : '-',
        r.target ? (r.p99 < r.target && r.failures === 0 ? 'met' : 'MISSED') : '-',
        ...p50Verdict(r),
        r.roundTrips === undefined ? '-' : r.roundTrips.toFixed(1),
        r.raw ? formatMs(r.raw.p50) : '-',
        r.raw ? formatMs(r.raw.p99) : '-',
        r.raw ? r.raw.roundTrips : '-',
        r.raw ? `${(r.p50 / r.raw.p50).toFixed(1)}x` : '-',
      ]),
    );
    console.log(
      "\nPG RT/req: round trips to Postgres per request (steady state). SQL: the route's repository statements straight through pg, same parameters and scope settings, one transaction each (no HTTP, auth, audit or JSON), timed right after the row. p50 bound: /healthz p50 + 0.5 ms for /v1/me, 2 × (SQL p50 + /healthz p50) for lists and stats, with /healthz timed right after the row too.",
    );
    console.log('');
    for (const line of walks) console.log(line);

    const toExplain = results.filter((r) => r.repo && (hasFlag('explain') || (r.target !== undefined && r.p99 >= r.target)));
    for (const entry of toExplain) {
      console.log(`\n=== EXPLAIN ANALYZE: ${entry.label} as ${entry.role} (p99 ${formatMs(entry.p99)} ms) ===`);
      for (const plan of await explainRepoCall(database.ownerUrl, entry.repo!.scope, entry.repo!.work)) console.log(plan);
    }
    const veryDeep = await positionAt(database.ownerUrl, company, null, Math.floor(bigRecordings * 0.75));
    const scope: ReadScope = { kind: 'company', companyId: company, ownerUserIds: null };
    console.log(`\n=== EXPLAIN ANALYZE: company admin list page at row ${Math.floor(bigRecordings * 0.75)} (any depth) ===`);
    for (const plan of await explainRepoCall(database.ownerUrl, scope, (tx) =>
      listRecordingsPage(tx, { filters: {}, sortBy: 'createdAt', sortOrder: 'desc', limit: 26, after: veryDeep }),
    )) {
      console.log(plan);
    }
  } finally {
    closeConnections();
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
  }
}

await main();
