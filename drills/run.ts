/**
 * "Nothing lost" drills: the simulator drives signed Twilio callbacks at load while a fault is
 * injected; afterwards every callback that got a 2xx must have become exactly one stored
 * recording whose bytes (database sha256 and the object in storage) equal what the simulator
 * served. Each drill builds its own world (database, redis-server, S3 server, services) and
 * never touches the machine's Redis or restarts the machine's Postgres.
 *
 *   npx tsx drills/run.ts [--short] [drill ...]
 *     drills: redis-restart fetcher-kill ingest-kill postgres-restart s3-outage duplicate-delivery
 *             follow-up-redis-blip cluster-failover (default: all)
 *             redis-ephemeral redis-crash (extra, by name only)
 *   pnpm drills:ci   (= --short, all default drills; exits 1 if anything is lost or duplicated)
 */
import { formatMs, hasFlag, printTable } from '../bench/lib/report';
import type { DrillResult } from './lib/drill';
import { runDrill } from './lib/drill';
import { DEFAULT_DRILLS, EXTRA_DRILLS } from './drills';

const short = hasFlag('short');
const named = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const all = { ...DEFAULT_DRILLS, ...EXTRA_DRILLS };
const unknown = named.filter((name) => !(name in all));
if (unknown.length > 0) {
  console.error(`unknown drill(s): ${unknown.join(', ')}; known: ${Object.keys(all).join(', ')}`);
  process.exit(2);
}
const selected = named.length > 0 ? named : Object.keys(DEFAULT_DRILLS);

const started = Date.now();
const results: DrillResult[] = [];
const failures: string[] = [];
for (const name of selected) {
  console.log(`\n▶ ${name} (${short ? 'short' : 'full'})`);
  try {
    const result = await runDrill(all[name]!(short));
    results.push(result);
    console.log(
      `  sent ${result.sent}, acknowledged ${result.acknowledged}, stored ${result.stored}, duplicated ${result.duplicated}, lost ${result.lost}, drained ${result.drainSeconds === undefined ? 'NOT' : `${result.drainSeconds.toFixed(1)} s`} after the fault; ${result.seconds.toFixed(0)} s in all`,
    );
    for (const note of result.notes) console.log(`  · ${note}`);
  } catch (error) {
    failures.push(name);
    console.error(`  ✗ ${error instanceof Error ? error.message : String(error)}`);
  }
}

console.log(`\n${short ? 'short' : 'full'} drills, ${((Date.now() - started) / 1000).toFixed(0)} s in all\n`);
printTable(
  ['drill', 'events sent', 'deliveries', 'acknowledged', 'never acked', 'stored', 'duplicated', 'lost', 'drain s', 'crashes', 'drill s'],
  results.map((r) => [
    r.name,
    r.sent,
    r.deliveries,
    r.acknowledged,
    r.refused,
    r.stored,
    r.duplicated,
    r.lost,
    r.drainSeconds === undefined ? 'NOT DRAINED' : formatMs(r.drainSeconds),
    r.crashes,
    r.seconds.toFixed(0),
  ]),
);
const bad = results.filter((r) => r.lost > 0 || r.duplicated > 0 || r.drainSeconds === undefined);
if (failures.length > 0) console.log(`\ndrills that could not run: ${failures.join(', ')}`);
if (bad.length > 0) console.log(`\nNOTHING-LOST VIOLATED by: ${bad.map((r) => r.name).join(', ')}`);
const crashed = results.filter((r) => r.crashes > 0);
if (crashed.length > 0)
  console.log(`\nservice processes crashed (restarted by the drill's supervisor) in: ${crashed.map((r) => `${r.name} (${r.crashes})`).join(', ')}`);
process.exit(bad.length > 0 || failures.length > 0 ? 1 : 0);
