import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import type { Readable } from 'node:stream';
import { createProducer, createRedis, whenReady } from '@callvault/queue';
import { sleep } from '../../bench/lib/child-process';
import { DRILL_BUCKET, type DrillWorld } from './drill-world';

/** How many of `sids` are stored right now. */
export async function storedCount(world: DrillWorld, sids: string[]): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM recordings
    WHERE company_id = ${world.companyId}::uuid AND provider_recording_id = ANY(${sids}::text[]) AND status = 'stored'
  `.execute(world.database.owner);
  return result.rows[0]!.n;
}

/** Polls until every recording in `sids` is stored; returns when that happened, or undefined at the deadline. */
export async function waitUntilStored(world: DrillWorld, sids: string[], deadline: number, onPoll?: (stored: number) => void): Promise<number | undefined> {
  for (let round = 0; round < 100_000 && Date.now() < deadline; round++) {
    try {
      const stored = await storedCount(world, sids);
      onPoll?.(stored);
      if (stored >= sids.length) return Date.now();
    } catch {
      // the drill's own Postgres may be down right now
    }
    await sleep(250);
  }
  return undefined;
}

export interface Verification {
  acknowledged: number;
  /** Acknowledged and stored exactly once with the bytes the simulator served (database and object). */
  stored: number;
  /** Extra recording rows, extra objects or extra events for something already there. */
  duplicated: number;
  /** Acknowledged but not stored with the right bytes. */
  lost: number;
  lostSamples: string[];
  notes: string[];
}

async function sha256Of(body: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * The promise, checked end to end for every acknowledged recording: one row, status stored, sha256
 * and size equal to what the simulator served, and the object in storage hashing to the same bytes.
 * Also counts anything stored twice: rows per provider id, objects under the company prefix that
 * no stored row points at, webhook events per idempotency key.
 */
export async function verifyNothingLost(world: DrillWorld, acknowledgedSids: string[]): Promise<Verification> {
  const rows = await sql<{ id: string; sid: string; status: string; sha256: string | null; size_bytes: string | null; storage_key: string | null }>`
    SELECT id, provider_recording_id AS sid, status, sha256, size_bytes::text, storage_key FROM recordings WHERE company_id = ${world.companyId}::uuid
  `.execute(world.database.owner);
  const bySid = new Map<string, typeof rows.rows>();
  for (const row of rows.rows) bySid.set(row.sid, [...(bySid.get(row.sid) ?? []), row]);
  const duplicateRows = [...bySid.values()].reduce((sum, list) => sum + Math.max(0, list.length - 1), 0);

  const objects: Array<{ key: string; size: number }> = [];
  let token: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const listed = await world.s3.client.send(
      new ListObjectsV2Command({ Bucket: DRILL_BUCKET, Prefix: `companies/${world.companyId}/`, ContinuationToken: token }),
    );
    for (const object of listed.Contents ?? []) objects.push({ key: object.Key!, size: Number(object.Size ?? 0) });
    token = listed.NextContinuationToken;
    if (!token) break;
  }
  const storedKeys = new Set(rows.rows.filter((row) => row.status === 'stored' && row.storage_key).map((row) => row.storage_key!));
  const strayObjects = objects.filter((object) => !storedKeys.has(object.key)).length;

  const duplicateEvents = await sql<{ n: number }>`
    SELECT coalesce(sum(c - 1), 0)::int AS n FROM (SELECT count(*) AS c FROM webhook_events GROUP BY idempotency_key) counts
  `.execute(world.database.owner);

  let stored = 0;
  const lost: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < acknowledgedSids.length) {
        const sid = acknowledgedSids[next++]!;
        const list = bySid.get(sid) ?? [];
        const row = list[0];
        const served = await world.sim.served(sid);
        if (row?.status !== 'stored' || !row.storage_key || !served || row.sha256 !== served.sha256 || row.size_bytes !== String(served.sizeBytes)) {
          lost.push(
            `${sid}: ${row ? `status ${row.status}${row.sha256 && served && row.sha256 !== served.sha256 ? ', sha256 differs' : ''}` : 'no recording row'}`,
          );
          continue;
        }
        const object = await world.s3.client.send(new GetObjectCommand({ Bucket: DRILL_BUCKET, Key: row.storage_key }));
        const actual = await sha256Of(object.Body as Readable);
        if (actual.sha256 !== served.sha256 || actual.size !== served.sizeBytes) lost.push(`${sid}: object bytes differ from what was served`);
        else stored++;
      }
    }),
  );
  const notes: string[] = [];
  const unacknowledgedStored =
    rows.rows.filter((row) => row.status === 'stored').length - stored - lost.filter((entry) => entry.includes('object bytes')).length;
  if (unacknowledgedStored > 0) notes.push(`${unacknowledgedStored} stored without an acknowledged delivery`);
  return {
    acknowledged: acknowledgedSids.length,
    stored,
    duplicated: duplicateRows + strayObjects + duplicateEvents.rows[0]!.n,
    lost: lost.length,
    lostSamples: lost.slice(0, 5),
    notes,
  };
}

/**
 * The follow-ups a stored recording implies: its transcription and analytics jobs must be in Redis
 * (queued, running or done). They are committed with the "stored" change and relayed from the
 * outbox, so a Redis outage between that commit and the enqueue must not lose them. Polls until
 * every stored recording of the drill's company has both, or the deadline; returns those without.
 */
export async function recordingsWithoutFollowUps(world: DrillWorld, deadline: number): Promise<string[]> {
  const redis = createRedis(world.stack.redis, 'producer');
  const producer = createProducer(redis, world.stack.queuePrefix);
  try {
    // A fail-fast client refuses commands until it is ready, and on a cluster just failed over that takes a moment.
    await whenReady(redis);
    let missing: string[] = [];
    do {
      const stored = await sql<{ id: string }>`SELECT id FROM recordings WHERE company_id = ${world.companyId}::uuid AND status = 'stored'`.execute(
        world.database.owner,
      );
      missing = [];
      for (const { id } of stored.rows) {
        const [transcription, analytics] = await Promise.all([
          producer.queue('transcription').getJob(`transcribe-${id}`),
          producer.queue('analytics').getJob(`analyze-${id}`),
        ]);
        if (!transcription || !analytics) missing.push(id);
      }
      if (missing.length === 0) return [];
      await sleep(500);
    } while (Date.now() < deadline);
    return missing;
  } finally {
    await producer.close();
    redis.disconnect();
  }
}
