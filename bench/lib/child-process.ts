import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

const exitHooks = new Set<() => void>();
let hooked = false;

/**
 * Runs `hook` (synchronously) if this process exits before it is removed: a benchmark or drill that
 * fails half-way, or is interrupted, must not leave servers of its own running.
 */
export function cleanUpOnExit(hook: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const run of exitHooks) {
        try {
          run();
        } catch {
          // best effort: the process is exiting
        }
      }
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  }
  exitHooks.add(hook);
  return () => exitHooks.delete(hook);
}

export interface NodeProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Last lines the process wrote (stdout and stderr), for a failure message. */
  tail(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once: a crash, not a shutdown. */
  crash(): Promise<void>;
}

/**
 * One of our entry points as its own Node process (`node --import tsx <script>`, or plain `node`
 * for a built `.mjs` bundle), so
 * it gets a core and an event loop of its own, as in production. Output is kept, not printed:
 * services run at LOG_LEVEL=warn and their warnings are shown only when something goes wrong.
 */
export function spawnNode(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): NodeProcess {
  // A built bundle (dist/*/main.mjs, see scripts/build-services.ts) runs as in production: plain node.
  const loader = script.endsWith('.mjs') ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const forget = cleanUpOnExit(() => child.kill('SIGKILL'));
  const gone = new Promise<void>((done) => child.once('exit', () => done()));
  void gone.then(forget);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    child,
    pid: child.pid!,
    tail: () => output,
    exited,
    async stop(graceMs = 10_000) {
      if (exited()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
    async crash() {
      if (exited()) return;
      child.kill('SIGKILL');
      await gone;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Polls `url` until it answers 2xx; fails with the process's output if it dies or times out. */
export async function waitHttpOk(url: string, options: { timeoutMs?: number; process?: NodeProcess } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last = '';
  while (Date.now() < deadline) {
    if (options.process?.exited()) throw new Error(`${options.process.name} exited before ${url} answered:\n${options.process.tail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(150);
  }
  throw new Error(`${url} did not answer 2xx in time (last: ${last})${options.process ? `\n${options.process.tail()}` : ''}`);
}

/** Peak and current resident set size of a process, from /proc (Linux). */
export function memoryOf(pid: number): { peakRssBytes: number; rssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peakRssBytes: field('VmHWM'), rssBytes: field('VmRSS') };
}

/** Busy CPU seconds of the whole machine so far (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
}

function processCpuTicks(): Map<number, { comm: string; ticks: number }> {
  const result = new Map<number, { comm: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      result.set(Number(entry), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  return result;
}

/**
 * Who used the CPU between `start()` and `stop()`: each named group of pids, Postgres and Redis,
 * and every other process on the machine (other people's tests on a shared box show up there).
 * Percentages are of one core (the machine has 200 %).
 */
export function cpuAccount() {
  const before = processCpuTicks();
  const t0 = performance.now();
  return {
    stop(groups: Record<string, number[]>): Record<string, number> {
      const after = processCpuTicks();
      const seconds = (performance.now() - t0) / 1000;
      const grouped: Record<string, number> = {};
      const claimed = new Set<number>();
      for (const [name, pids] of Object.entries(groups)) {
        let ticks = 0;
        for (const pid of pids) {
          claimed.add(pid);
          ticks += (after.get(pid)?.ticks ?? 0) - (before.get(pid)?.ticks ?? 0);
        }
        grouped[name] = ticks;
      }
      const rest = { 'postgres (other backends)': 0, redis: 0, 'other processes': 0 };
      for (const [pid, { comm, ticks }] of after) {
        if (claimed.has(pid)) continue;
        const delta = ticks - (before.get(pid)?.ticks ?? 0);
        if (delta <= 0) continue;
        if (comm === 'postgres' || comm.startsWith('postgres')) rest['postgres (other backends)'] += delta;
        else if (comm.startsWith('redis-server')) rest.redis += delta;
        else rest['other processes'] += delta;
      }
      return Object.fromEntries(Object.entries({ ...grouped, ...rest }).map(([name, ticks]) => [name, ticks / seconds]));
    },
  };
}

/**
 * Waits (bounded) until the machine is mostly idle before a timed run: on a shared box other
 * people's test runs would otherwise be measured too. Returns the last observed busy %.
 */
export async function waitForQuietMachine(options: { thresholdPercent?: number; maxWaitMs?: number } = {}): Promise<number> {
  const threshold = options.thresholdPercent ?? 30;
  const deadline = Date.now() + (options.maxWaitMs ?? 60_000);
  let busy = 0;
  for (let round = 0; round < 1_000; round++) {
    const before = machineBusySeconds();
    await sleep(1_000);
    busy = (machineBusySeconds() - before) * 100;
    if (busy <= threshold || Date.now() > deadline) break;
  }
  return busy;
}
