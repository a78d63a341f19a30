import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisTarget } from '@callvault/config';
import { redisCli, spareRedisPorts, startRedisProcess, waitUntil, type RedisProcess } from './redis-processes';

export interface RedisClusterUnderTest {
  /** Every node as a seed, as an operator would list them in REDIS_CLUSTER_NODES. */
  target: RedisTarget;
  ports: number[];
  /**
   * SIGKILLs the master serving `key`'s hash slot (e.g. `{recording-fetch}`), as a crashed
   * machine: nothing flushed, no goodbye to the cluster.
   */
  killMasterOf(key: string): Promise<{ port: number; slot: number }>;
  /** Resolves once a node other than `formerPort` serves `slot` as master and the cluster says ok. */
  waitForPromotion(slot: number, formerPort: number, timeoutMs?: number): Promise<{ port: number }>;
  close(): Promise<void>;
}

interface NodeLine {
  port: number;
  flags: string[];
  slots: Array<[number, number]>;
}

/** `CLUSTER NODES` as the node at `port` sees the cluster. */
async function clusterNodes(port: number): Promise<NodeLine[]> {
  const text = await redisCli(port, 'cluster', 'nodes');
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [, address, flags, , , , , , ...slots] = line.trim().split(' ');
      return {
        port: Number(address!.split('@')[0]!.split(':')[1]),
        flags: flags!.split(','),
        slots: slots.filter((slot) => /^\d/.test(slot)).map((slot) => slot.split('-').map(Number) as [number, number]),
      };
    });
}

const serves = (node: NodeLine, slot: number) => node.slots.some(([from, to = from]) => slot >= from && slot <= to);

/**
 * A real Redis Cluster of `masters` masters with one replica each, from `redis-server` on spare
 * ports in a temp directory, made with `redis-cli --cluster create`, persisted as the compose
 * Redis is (AOF, fsync every second). A node-timeout of one second lets a replica take over a
 * killed master within a few seconds.
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<RedisClusterUnderTest> {
  const masters = options.masters ?? 3;
  const ports = await spareRedisPorts(masters * 2, [10_000]);
  const directory = mkdtempSync(join(tmpdir(), 'callvault-test-cluster-'));
  const nodes: RedisProcess[] = [];
  const close = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const dir = join(directory, String(port));
      mkdirSync(dir);
      nodes.push(
        await startRedisProcess(port, [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '1000',
          '--save',
          '',
          '--appendonly',
          'yes',
          '--appendfsync',
          'everysec',
          '--maxmemory-policy',
          'noeviction',
        ]),
      );
    }
    await redisCli(ports[0]!, '--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '1', '--cluster-yes');
    const healthy = async () => {
      for (const port of ports) {
        const info = await redisCli(port, 'cluster', 'info');
        if (!info.includes('cluster_state:ok') || !info.includes('cluster_slots_ok:16384')) return false;
      }
      const replicas = (await clusterNodes(ports[0]!)).filter((node) => node.flags.includes('slave'));
      if (replicas.length !== masters) return false;
      // A replica that has not finished its first sync cannot take over (its data counts as too old).
      const links = await Promise.all(replicas.map((replica) => redisCli(replica.port, 'info', 'replication')));
      return links.every((info) => info.includes('master_link_status:up'));
    };
    await waitUntil('the cluster to be ok on every node, each master with a replica in sync', healthy, 20_000);
  } catch (error) {
    await close();
    throw error;
  }

  const live = () => nodes.filter((node) => node.running()).map((node) => node.port);
  return {
    target: { kind: 'cluster', nodes: ports.map((port) => `redis://127.0.0.1:${port}`) },
    ports,
    async killMasterOf(key) {
      const slot = Number((await redisCli(live()[0]!, 'cluster', 'keyslot', key)).trim());
      const master = (await clusterNodes(live()[0]!)).find((node) => node.flags.includes('master') && serves(node, slot));
      if (!master) throw new Error(`no master serves slot ${slot}`);
      await nodes.find((node) => node.port === master.port)!.kill();
      return { port: master.port, slot };
    },
    async waitForPromotion(slot, formerPort, timeoutMs = 20_000) {
      let promoted: number | undefined;
      await waitUntil(
        `a replica to take over slot ${slot} from ${formerPort}`,
        async () => {
          const observer = live()[0]!;
          const master = (await clusterNodes(observer)).find(
            (node) => node.port !== formerPort && node.flags.includes('master') && !node.flags.includes('fail') && serves(node, slot),
          );
          promoted = master?.port;
          return promoted !== undefined && (await redisCli(observer, 'cluster', 'info')).includes('cluster_state:ok');
        },
        timeoutMs,
      );
      return { port: promoted! };
    },
    close,
  };
}
