import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { answersPing } from './private-redis';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const listens = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * `count` consecutive free ports from a random base in 17000-19000 (each `port + offset` free too:
 * a cluster node's bus listens 10000 above its port). Other test runs on the machine pick other
 * bases, and a taken port makes us try another base.
 */
export async function spareRedisPorts(count: number, alsoFree: number[] = []): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 17_000 + Math.floor(Math.random() * (2_000 - count));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    const wanted = ports.flatMap((port) => [port, ...alsoFree.map((offset) => port + offset)]);
    if ((await Promise.all(wanted.map(listens))).every(Boolean)) return ports;
  }
  throw new Error(`no ${count} spare ports found between 17000 and 19000`);
}

/** One redis-server (or Sentinel) process of a test's own, killed with the test process at the latest. */
export interface RedisProcess {
  port: number;
  running(): boolean;
  /** SIGKILL: a crash, nothing flushed. */
  kill(): Promise<void>;
  /** Started again with the same arguments; resolves once it answers PING. */
  start(): Promise<void>;
}

/** Started with `args`; ready once `ready` says so (default: PONG to a PING without credentials). */
export async function startRedisProcess(port: number, args: string[], ready: () => Promise<boolean> = () => answersPing(port)): Promise<RedisProcess> {
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const start = async () => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await ready().catch(() => false)) return;
      await sleep(100);
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };
  await start();
  return {
    port,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async kill() {
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((done) => current.once('exit', done));
      current.kill('SIGKILL');
      await exited;
    },
    start,
  };
}

/** `redis-cli` against one local port; its stdout. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
