import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_ROLE } from '@callvault/db';
import { freePort } from './embedded-s3';
import { TEST_POSTGRES_URL } from './global-setup';

/** Debian's PgBouncer (`apt-get install pgbouncer`); CI installs it, a developer may not have it. */
export const PGBOUNCER_PATH = '/usr/sbin/pgbouncer';
export const havePgBouncer = existsSync(PGBOUNCER_PATH);

export interface RunningPgBouncer {
  port: number;
  /** The same database and user, reached through PgBouncer. */
  through(databaseUrl: string): string;
  stop(): Promise<void>;
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * PgBouncer in transaction mode (the mode docs/operations.md recommends) on a spare port, in
 * front of the test Postgres: every database, the app role and the owner, no password (the test
 * server trusts local connections). Each transaction may get another server connection, and
 * startup parameters other than a few are refused, as in production.
 */
export async function startPgBouncer(): Promise<RunningPgBouncer> {
  const postgres = new URL(TEST_POSTGRES_URL);
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'callvault-pgbouncer-'));
  // PgBouncer refuses to run as root: as root (CI containers) it drops to `nobody`, who must read this.
  chmodSync(directory, 0o755);
  writeFileSync(join(directory, 'users.txt'), [APP_ROLE, decodeURIComponent(postgres.username)].map((user) => `"${user}" ""`).join('\n'));
  writeFileSync(
    join(directory, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${postgres.hostname} port=${postgres.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(directory, 'users.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 500',
      'default_pool_size = 4',
      '',
    ].join('\n'),
  );
  for (const file of ['users.txt', 'pgbouncer.ini']) chmodSync(join(directory, file), 0o644);
  const asRoot = process.getuid?.() === 0;
  const child = spawn(PGBOUNCER_PATH, [...(asRoot ? ['-u', 'nobody'] : []), join(directory, 'pgbouncer.ini')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let attempt = 0; !(await reachable(port)); attempt++) {
    if (child.exitCode !== null || attempt > 100) {
      child.kill('SIGKILL');
      rmSync(directory, { recursive: true, force: true });
      throw new Error(`pgbouncer did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    through(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
