import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './embedded-s3';

const BIN = '/usr/lib/postgresql/15/bin';

/** Debian's server tools (initdb, pg_ctl, pg_basebackup): present wherever the machine's Postgres is. */
export const havePostgresServerTools = existsSync(`${BIN}/initdb`);

export interface OwnPostgresCluster {
  port: number;
  /** The `postgres` database as the superuser `postgres` (trust auth, loopback only). */
  serverUrl: string;
  start(): void;
  /** `fast` ends open sessions as an operator's restart does; `immediate` as a crash does. */
  stop(mode?: 'fast' | 'immediate'): void;
  close(): void;
}

/** A directory the server tools may write: as root they run as the `postgres` user. */
function ownedDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  if (userInfo().uid === 0) {
    chownSync(directory, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  }
  return directory;
}

/** initdb and pg_ctl refuse to run as root: as root they run as the postgres user. */
function runTool(tool: string, args: string[]): void {
  const asRoot = userInfo().uid === 0;
  execFileSync(asRoot ? 'runuser' : `${BIN}/${tool}`, asRoot ? ['-u', 'postgres', '--', `${BIN}/${tool}`, ...args] : args, { stdio: 'pipe', timeout: 60_000 });
}

function clusterAt(directory: string, data: string, port: number, settings: string[]): OwnPostgresCluster {
  const options = [`-p ${port}`, `-k ${directory}`, '-c listen_addresses=127.0.0.1', '-c max_connections=60', '-c shared_buffers=32MB', ...settings].join(' ');
  const cluster: OwnPostgresCluster = {
    port,
    serverUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => runTool('pg_ctl', ['-D', data, '-o', options, '-l', join(directory, 'server.log'), '-w', '-t', '30', 'start']),
    stop: (mode = 'fast') => runTool('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']),
    close() {
      try {
        cluster.stop('immediate');
      } catch {
        // already stopped
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
  return cluster;
}

/**
 * A Postgres cluster of the caller's own (initdb in a temp dir, a free port, trust auth on
 * loopback), for what the machine's shared server must not undergo: restarts, a replica.
 * `settings` are extra `-c name=value` server options.
 */
export async function startOwnPostgresCluster(settings: string[] = []): Promise<OwnPostgresCluster> {
  const directory = ownedDirectory('callvault-pg-');
  const data = join(directory, 'data');
  runTool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const cluster = clusterAt(directory, data, await freePort(), settings);
  cluster.start();
  return cluster;
}

/**
 * A hot-standby streaming replica of `primary` (pg_basebackup -R), on a free port of its own. The
 * primary needs no settings of ours: Postgres 15 defaults to wal_level=replica and 10 WAL senders.
 */
export async function startStreamingReplica(primary: OwnPostgresCluster): Promise<OwnPostgresCluster> {
  const directory = ownedDirectory('callvault-pg-replica-');
  const data = join(directory, 'data');
  runTool('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    data,
    '-R',
    '-X',
    'stream',
    '--no-sync',
    '--checkpoint=fast',
  ]);
  const replica = clusterAt(directory, data, await freePort(), ['-c hot_standby=on']);
  replica.start();
  return replica;
}
