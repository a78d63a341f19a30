import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@callvault/testing';
import { MACHINE_POSTGRES_URL } from '../../bench/lib/bench-database';
import { cleanUpOnExit } from '../../bench/lib/child-process';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

export interface RestartablePostgres {
  /** Server URL (database `postgres`) the drill creates its database on. */
  serverUrl: string;
  /** How the outage is made: a real stop of our own cluster, or a proxy cut in front of the machine's. */
  kind: 'own cluster' | 'tcp proxy';
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A Postgres the drill may restart: its own cluster (initdb + pg_ctl in a temp dir, run as the
 * `postgres` user when we are root) on a free port. Where no cluster can be made, a TCP proxy in
 * front of the machine's Postgres stands in: stopping it refuses and cuts connections the same way,
 * and the machine's server (which other tests use) is never restarted.
 */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  if (existsSync(`${BIN}/initdb`)) {
    try {
      return await startOwnCluster();
    } catch (error) {
      process.stderr.write(`own Postgres cluster unavailable (${String(error).slice(0, 200)}); using a TCP proxy instead\n`);
    }
  }
  const proxy: TcpProxy = await startTcpProxy('127.0.0.1', 5432);
  return {
    serverUrl: MACHINE_POSTGRES_URL.replace(':5432/', `:${proxy.port}/`),
    kind: 'tcp proxy',
    stop: () => proxy.down(),
    start: () => proxy.up(),
    close: () => proxy.close(),
  };
}

async function startOwnCluster(): Promise<RestartablePostgres> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'callvault-drill-pg-'));
  const data = join(directory, 'data');
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(directory, Number(ids), Number(gid));
  }
  // initdb refuses to run as root: run the server tools as the postgres user.
  const run = (tool: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : `${BIN}/${tool}`, asRoot ? ['-u', 'postgres', '--', `${BIN}/${tool}`, ...args] : args, {
      stdio: 'pipe',
      timeout: 60_000,
    });
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c max_connections=60 -c shared_buffers=32MB`;
  const start = async () => {
    run('pg_ctl', ['-D', data, '-o', options, '-l', join(directory, 'server.log'), '-w', '-t', '30', 'start']);
  };
  await start();
  const forget = cleanUpOnExit(() => {
    run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
    rmSync(directory, { recursive: true, force: true });
  });
  return {
    serverUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    kind: 'own cluster',
    // Fast shutdown: open sessions are terminated, as on a restart by an operator or a failover.
    stop: async () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']),
    start,
    async close() {
      forget();
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
