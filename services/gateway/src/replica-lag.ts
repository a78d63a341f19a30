import { sql } from 'kysely';
import type { Db } from '@callvault/db';

/** A WAL position `X/Y` (two hex halves) as one number that orders like the position. */
const position = (lsn: string): bigint => {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
};

export interface ReplicaLagWatch {
  /** Seconds the replica is behind the primary at most (Infinity until it has been seen replaying). */
  lagSeconds(): number;
  stop(): void;
}

/**
 * Measures how far the replica is behind without any privilege: every `intervalMs` it notes the
 * primary's WAL position and the time, then asks the replica how far it has replayed. The newest
 * noted position the replica has reached says it holds everything written before that time, so
 * its lag is at most "now minus that time" (an upper bound, off by one interval at most). A
 * replica that does not answer stops catching up, so its lag grows and reads leave it.
 */
export function watchReplicaLag(primary: Db, replica: Db, intervalMs = 500): ReplicaLagWatch {
  const noted: Array<{ at: number; position: bigint }> = [];
  let caughtUpTo = Number.NEGATIVE_INFINITY;
  let stopped = false;
  const sample = async () => {
    const at = Date.now();
    const current = await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(primary);
    noted.push({ at, position: position(current.rows[0]!.lsn) });
    const replayed = await sql<{ lsn: string | null; recovering: boolean }>`
      SELECT pg_last_wal_replay_lsn()::text AS lsn, pg_is_in_recovery() AS recovering`.execute(replica);
    const row = replayed.rows[0]!;
    if (!row.recovering) {
      // Not a standby (DATABASE_READ_URL names a primary): it has every write.
      caughtUpTo = at;
      noted.length = 0;
      return;
    }
    const reached = row.lsn ? position(row.lsn) : -1n;
    while (noted.length > 0 && noted[0]!.position <= reached) caughtUpTo = noted.shift()!.at;
  };
  const loop = async () => {
    while (!stopped) {
      await sample().catch(() => undefined);
      // While the replica cannot be reached the noted positions pile up: the newest are the ones
      // it can reach first when it is back (its lag only reads larger for the ones dropped).
      if (noted.length > 1_000) noted.splice(0, noted.length - 1_000);
      await new Promise((resolve) => setTimeout(resolve, intervalMs).unref());
    }
  };
  void loop();
  return {
    lagSeconds: () => Math.max(0, (Date.now() - caughtUpTo) / 1000),
    stop: () => {
      stopped = true;
    },
  };
}
