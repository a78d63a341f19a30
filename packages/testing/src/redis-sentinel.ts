import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisTarget } from '@callvault/config';
import { redisCli, spareRedisPorts, startRedisProcess, waitUntil, type RedisProcess } from './redis-processes';

const MASTER_NAME = 'callvault-master';
const PASSWORD = 'sentinel-test-password';

export interface RedisSentinelUnderTest {
  /** Three Sentinels and the master's name, with the master's password, as REDIS_SENTINELS and REDIS_SENTINEL_MASTER say it. */
  target: RedisTarget;
  /** The port of the server the Sentinels currently name as master. */
  masterPort(): Promise<number>;
  /** That server's own URL (password included), to look at it directly. */
  masterUrl(): Promise<string>;
  /** SIGKILLs the current master, as a crashed machine. */
  killMaster(): Promise<{ port: number }>;
  /** Resolves once the Sentinels name another master, and it answers as one. */
  waitForFailover(formerPort: number, timeoutMs?: number): Promise<{ port: number }>;
  close(): Promise<void>;
}

/**
 * A master with a password, one replica and three Sentinels (quorum 2), from `redis-server` and
 * `redis-server --sentinel` on spare ports in a temp directory: what a Sentinel deployment runs,
 * with a one-second down-after so a failover takes seconds.
 */
export async function startRedisSentinel(): Promise<RedisSentinelUnderTest> {
  const [masterPort, replicaPort, ...sentinelPorts] = await spareRedisPorts(5);
  const directory = mkdtempSync(join(tmpdir(), 'callvault-test-sentinel-'));
  const processes: RedisProcess[] = [];
  const close = async () => {
    await Promise.all(processes.map((process) => process.kill()));
    rmSync(directory, { recursive: true, force: true });
  };
  const auth = ['-a', PASSWORD, '--no-auth-warning'];
  const authed = (port: number) => async () => (await redisCli(port, ...auth, 'ping')).trim() === 'PONG';
  const sentinelSays = async (port: number, ...args: string[]) => redisCli(port, 'sentinel', ...args);
  try {
    for (const [port, role] of [
      [masterPort!, []],
      [replicaPort!, ['--replicaof', '127.0.0.1', String(masterPort)]],
    ] as const) {
      const dir = join(directory, String(port));
      mkdirSync(dir);
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--maxmemory-policy', 'noeviction'];
      processes.push(await startRedisProcess(port, [...args, '--requirepass', PASSWORD, '--masterauth', PASSWORD, ...role], authed(port)));
    }
    for (const port of sentinelPorts) {
      // A Sentinel rewrites its configuration file, so each gets one of its own.
      const file = join(directory, `sentinel-${port}.conf`);
      writeFileSync(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${directory}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
          `sentinel auth-pass ${MASTER_NAME} ${PASSWORD}`,
          `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
          `sentinel failover-timeout ${MASTER_NAME} 5000`,
          '',
        ].join('\n'),
      );
      processes.push(await startRedisProcess(port, [file, '--sentinel']));
    }
    await waitUntil(
      'the replica in sync and every Sentinel knowing it and the two others',
      async () => {
        if (!(await redisCli(replicaPort!, ...auth, 'info', 'replication')).includes('master_link_status:up')) return false;
        for (const port of sentinelPorts) {
          const master = await sentinelSays(port, 'master', MASTER_NAME);
          if (!/num-slaves\n1\n/.test(master) || !/num-other-sentinels\n2\n/.test(master)) return false;
        }
        return true;
      },
      20_000,
    );
  } catch (error) {
    await close();
    throw error;
  }

  const live = () => processes.filter((process) => process.running());
  const currentMaster = async () => {
    const [, port] = (await sentinelSays(sentinelPorts[0]!, 'get-master-addr-by-name', MASTER_NAME)).trim().split('\n');
    return Number(port);
  };
  return {
    target: {
      kind: 'sentinel',
      sentinels: sentinelPorts.map((port) => `redis://127.0.0.1:${port}`),
      master: `redis://:${PASSWORD}@${MASTER_NAME}`,
    },
    masterPort: currentMaster,
    masterUrl: async () => `redis://:${PASSWORD}@127.0.0.1:${await currentMaster()}`,
    async killMaster() {
      const port = await currentMaster();
      await live()
        .find((process) => process.port === port)!
        .kill();
      return { port };
    },
    async waitForFailover(formerPort, timeoutMs = 30_000) {
      let port = formerPort;
      await waitUntil(
        `the Sentinels to promote a replica of ${formerPort}`,
        async () => {
          port = await currentMaster();
          return port !== formerPort && (await redisCli(port, ...auth, 'info', 'replication')).includes('role:master');
        },
        timeoutMs,
      );
      return { port };
    },
    close,
  };
}
