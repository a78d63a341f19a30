import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '@callvault/testing';
import { cleanUpOnExit, sleep } from '../../bench/lib/child-process';

export interface OwnRedis {
  url: string;
  port: number;
  /** `aof`: append-only file, fsync every second (how docker-compose runs it); `ephemeral`: no persistence at all. */
  mode: 'aof' | 'ephemeral';
  /** SIGTERM: Redis flushes its AOF and exits, as on a restart by an orchestrator. */
  stop(): Promise<void>;
  /** SIGKILL: a crash; up to a second of AOF writes may be lost. */
  crash(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A redis-server of the drill's own on a free port and a temp directory: a drill kills and restarts
 * it freely and never touches the machine's Redis on 6379.
 */
export async function startOwnRedis(mode: 'aof' | 'ephemeral' = 'aof'): Promise<OwnRedis> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'callvault-drill-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const persistence = mode === 'aof' ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', directory, '--maxmemory-policy', 'noeviction'],
      {
        stdio: 'ignore',
      },
    );
    const started = child;
    const forget = cleanUpOnExit(() => started.kill('SIGKILL'));
    started.once('exit', () => forget());
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      for (let i = 0; i < 100; i++) {
        try {
          await probe.connect();
          // Ready once the AOF is loaded: PING answers LOADING until then.
          await probe.ping();
          return;
        } catch {
          probe.disconnect();
          await sleep(100);
        }
      }
      throw new Error(`redis-server did not start on ${url}`);
    } finally {
      probe.disconnect();
    }
  };
  const halt = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url,
    port,
    mode,
    stop: () => halt('SIGTERM'),
    crash: () => halt('SIGKILL'),
    start,
    async close() {
      await halt('SIGKILL');
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
