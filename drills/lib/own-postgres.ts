import { havePostgresServerTools, startOwnPostgresCluster } from '@callvault/testing';
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

/**
 * A Postgres the drill may restart: its own cluster (startOwnPostgresCluster) on a free port.
 * Where no cluster can be made, a TCP proxy in front of the machine's Postgres stands in: stopping
 * it refuses and cuts connections the same way, and the machine's server (which other tests use)
 * is never restarted.
 */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  if (havePostgresServerTools) {
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
  const cluster = await startOwnPostgresCluster();
  const forget = cleanUpOnExit(() => cluster.close());
  return {
    serverUrl: cluster.serverUrl,
    kind: 'own cluster',
    // Fast shutdown: open sessions are terminated, as on a restart by an operator or a failover.
    stop: async () => cluster.stop('fast'),
    start: async () => cluster.start(),
    async close() {
      forget();
      cluster.close();
    },
  };
}
