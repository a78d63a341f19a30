import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, seedCompany, seedUser, type TestEnvironment } from '@callvault/testing';
import { refreshRollups } from '../src/tasks/refresh-rollups';

let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => env?.close());

type Key = string;
interface Expected {
  calls: number;
  answered: number;
  stored: number;
  recordedSeconds: number;
  storedBytes: number;
  talkRatioSum: number;
  talkRatioCount: number;
}

/** The rollups recomputed in plain code from the base rows, independently of the SQL function. */
async function directCounts(companyId: string): Promise<Map<Key, Expected>> {
  const calls = await env.ownerDb.selectFrom('calls').selectAll().where('company_id', '=', companyId).execute();
  const recordings = await env.ownerDb.selectFrom('recordings').selectAll().where('company_id', '=', companyId).execute();
  const metrics = await env.ownerDb.selectFrom('call_metrics').selectAll().where('company_id', '=', companyId).execute();
  const result = new Map<Key, Expected>();
  for (const call of calls) {
    const day = (call.started_at ?? call.created_at).toISOString().slice(0, 10);
    const key = `${call.owner_user_id ?? '-'}|${day}`;
    const entry = result.get(key) ?? { calls: 0, answered: 0, stored: 0, recordedSeconds: 0, storedBytes: 0, talkRatioSum: 0, talkRatioCount: 0 };
    entry.calls += 1;
    if (call.status === 'completed' || call.status === 'in-progress') entry.answered += 1;
    for (const recording of recordings.filter((row) => row.call_id === call.id && row.status === 'stored')) {
      entry.stored += 1;
      entry.recordedSeconds += recording.duration_seconds ?? 0;
      entry.storedBytes += Number(recording.size_bytes ?? 0);
      const ratio = (metrics.find((row) => row.recording_id === recording.id)?.metrics as { audio?: { talkRatio?: number } } | undefined)?.audio?.talkRatio;
      if (typeof ratio === 'number') {
        entry.talkRatioSum += ratio;
        entry.talkRatioCount += 1;
      }
    }
    result.set(key, entry);
  }
  return result;
}

async function rollups(companyId: string): Promise<Map<Key, Expected>> {
  const rows = await env.ownerDb.selectFrom('daily_rollups').selectAll().where('company_id', '=', companyId).execute();
  return new Map(
    rows.map((row) => [
      `${row.owner_user_id ?? '-'}|${row.day.toISOString().slice(0, 10)}`,
      {
        calls: row.calls,
        answered: row.answered_calls,
        stored: row.recordings_stored,
        recordedSeconds: Number(row.recorded_seconds),
        storedBytes: Number(row.stored_bytes),
        talkRatioSum: row.talk_ratio_sum,
        talkRatioCount: row.talk_ratio_count,
      },
    ]),
  );
}

function normalised(map: Map<Key, Expected>) {
  return Object.fromEntries([...map.entries()].map(([key, value]) => [key, { ...value, talkRatioSum: Number(value.talkRatioSum.toFixed(9)) }]));
}

describe('daily rollups', () => {
  it('equal a direct count over calls, recordings and metrics after inserts, deletes and re-runs', async () => {
    const company = await seedCompany(env);
    const other = await seedCompany(env);
    const agents = [await seedUser(env, company.id, 'agent'), await seedUser(env, company.id, 'agent')];
    const recordingIds: string[] = [];
    for (let index = 0; index < 40; index += 1) {
      const companyId = index % 10 === 9 ? other.id : company.id;
      const owner = companyId === company.id && index % 3 !== 0 ? agents[index % 2]!.id : null;
      const startedAt = new Date(Date.UTC(2026, 9, 1 + (index % 4), 10, index));
      const call = await env.ownerDb
        .insertInto('calls')
        .values({
          company_id: companyId,
          owner_user_id: owner,
          provider: 'twilio',
          twilio_call_sid: `CA${randomUUID().replace(/-/g, '')}`,
          status: index % 5 === 0 ? 'no-answer' : 'completed',
          status_rank: 5,
          started_at: startedAt,
          direction: 'inbound',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const recording = await env.ownerDb
        .insertInto('recordings')
        .values({
          company_id: companyId,
          call_id: call.id,
          owner_user_id: owner,
          provider: 'twilio',
          provider_recording_id: `RE${randomUUID().replace(/-/g, '')}`,
          status: index % 7 === 0 ? 'failed' : 'stored',
          duration_seconds: 30 + index,
          size_bytes: 1000 * index,
          started_at: startedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      recordingIds.push(recording.id);
      if (index % 2 === 0) {
        await env.ownerDb
          .insertInto('call_metrics')
          .values({
            company_id: companyId,
            recording_id: recording.id,
            call_id: call.id,
            metrics: JSON.stringify({ audio: { talkRatio: (index % 10) / 10 } }),
            computed_at: new Date(),
          })
          .execute();
      }
    }
    expect(await refreshRollups(env.db)).toBeGreaterThan(0);
    expect(normalised(await rollups(company.id))).toEqual(normalised(await directCounts(company.id)));
    expect(normalised(await rollups(other.id))).toEqual(normalised(await directCounts(other.id)));

    // Deletes (a tombstone and a hard delete), a re-run of analytics, an owner change.
    await env.ownerDb.updateTable('recordings').set({ status: 'deleted' }).where('id', 'in', recordingIds.slice(0, 5)).execute();
    await env.ownerDb.deleteFrom('recordings').where('id', 'in', recordingIds.slice(5, 8)).execute();
    await env.ownerDb
      .updateTable('call_metrics')
      .set({ metrics: JSON.stringify({ audio: { talkRatio: 0.99 } }) })
      .where('recording_id', 'in', recordingIds.slice(10, 20))
      .execute();
    await env.ownerDb
      .updateTable('calls')
      .set({ owner_user_id: agents[0]!.id })
      .where('company_id', '=', company.id)
      .where('owner_user_id', 'is', null)
      .execute();
    await refreshRollups(env.db);
    expect(normalised(await rollups(company.id))).toEqual(normalised(await directCounts(company.id)));
    expect(await refreshRollups(env.db)).toBe(0);
  });

  it('are marked dirty by exactly the writes that change what they count, one statement at a time', async () => {
    const company = await seedCompany(env);
    const agent = await seedUser(env, company.id, 'agent');
    const dirtyDays = async () => {
      const rows = await env.ownerDb.selectFrom('rollup_dirty_days').select('day').where('company_id', '=', company.id).execute();
      await env.ownerDb.deleteFrom('rollup_dirty_days').where('company_id', '=', company.id).execute();
      return rows.map((row) => row.day.toISOString().slice(0, 10)).sort();
    };
    const callOn = (day: number) => ({
      company_id: company.id,
      provider: 'twilio' as const,
      twilio_call_sid: `CA${randomUUID().replace(/-/g, '')}`,
      status: 'completed',
      status_rank: 5,
      started_at: new Date(Date.UTC(2026, 9, day, 12)),
    });
    const calls = await env.ownerDb
      .insertInto('calls')
      .values([callOn(1), callOn(1), callOn(2)])
      .returning(['id'])
      .execute();
    expect(await dirtyDays()).toEqual(['2026-10-01', '2026-10-02']);

    const recordings = await env.ownerDb
      .insertInto('recordings')
      .values(
        calls.map((call) => ({
          company_id: company.id,
          call_id: call.id,
          provider: 'twilio' as const,
          provider_recording_id: `RE${randomUUID().replace(/-/g, '')}`,
          status: 'pending',
        })),
      )
      .returning(['id'])
      .execute();
    expect(await dirtyDays()).toEqual(['2026-10-01', '2026-10-02']);

    // Columns the rollups do not count change nothing; counted ones mark their call's day.
    await env.ownerDb.updateTable('recordings').set({ play_count: 3, starred: true }).where('company_id', '=', company.id).execute();
    await env.ownerDb.updateTable('calls').set({ summary: 'irrelevant' }).where('company_id', '=', company.id).execute();
    expect(await dirtyDays()).toEqual([]);
    await env.ownerDb.updateTable('recordings').set({ status: 'stored', size_bytes: 10 }).where('id', '=', recordings[2]!.id).execute();
    expect(await dirtyDays()).toEqual(['2026-10-02']);
    await env.ownerDb.updateTable('recordings').set({ owner_user_id: agent.id }).where('id', '=', recordings[0]!.id).execute();
    expect(await dirtyDays()).toEqual(['2026-10-01']);
    // A call moving to another day marks both days.
    await env.ownerDb
      .updateTable('calls')
      .set({ started_at: new Date(Date.UTC(2026, 9, 5, 12)) })
      .where('id', '=', calls[2]!.id)
      .execute();
    expect(await dirtyDays()).toEqual(['2026-10-02', '2026-10-05']);
    await env.ownerDb.deleteFrom('recordings').where('id', '=', recordings[1]!.id).execute();
    expect(await dirtyDays()).toEqual(['2026-10-01']);
    await env.ownerDb.deleteFrom('calls').where('id', '=', calls[2]!.id).execute();
    expect(await dirtyDays()).toEqual(['2026-10-05']);
  });
});
