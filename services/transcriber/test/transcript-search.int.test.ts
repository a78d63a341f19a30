import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTranscripts, upsertTranscript, withCompany, withReadScope, type ReadScope, type SortPosition } from '@callvault/db';
import { createTestEnvironment, seedCompany, seedUser, type TestEnvironment } from '@callvault/testing';
import { seedRecording } from './transcriber-test-kit';

/**
 * Search runs over two companies: in A an admin, a manager with one agent reporting to them and a
 * second agent outside the team; in B one agent. Every call mentions a refund, so every scope has
 * hits, and any hit outside a scope would show.
 */
let env: TestEnvironment;
const ids: Record<string, string> = {};
const scopes: Record<string, ReadScope> = {};

async function transcribed(
  companyId: string,
  name: string,
  ownerUserId: string | null,
  text: string,
  options: { status?: 'deleted'; transcriptStatus?: 'failed'; startedAt?: Date } = {},
) {
  const { recording } = await seedRecording(env, companyId, {
    provider: 'twilio',
    ownerUserId,
    ...(options.startedAt ? { startedAt: options.startedAt } : {}),
  });
  await withCompany(env.db, companyId, (tx) =>
    upsertTranscript(tx, {
      recordingId: recording.id,
      status: options.transcriptStatus ?? 'completed',
      source: 'twilio',
      language: 'en',
      text,
      segments: [],
      redactionCount: 0,
    }),
  );
  if (options.status) await env.ownerDb.updateTable('recordings').set({ status: options.status }).where('id', '=', recording.id).execute();
  ids[name] = recording.id;
  return recording;
}

function search(scope: ReadScope, q: string, limit = 50, after: SortPosition | null = null) {
  return withReadScope(env.db, scope, (tx) => searchTranscripts(tx, { q, limit, after }));
}

async function found(scope: ReadScope, q = 'refund'): Promise<string[]> {
  const hits = await search(scope, q);
  const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
  return hits.map((hit) => names[hit.recordingId] ?? hit.recordingId).sort();
}

beforeAll(async () => {
  env = await createTestEnvironment();
  const a = await seedCompany(env, 'A');
  const b = await seedCompany(env, 'B');
  const manager = await seedUser(env, a.id, 'manager');
  const agentInTeam = await seedUser(env, a.id, 'agent', { managerId: manager.id });
  const agentOutside = await seedUser(env, a.id, 'agent');
  const agentB = await seedUser(env, b.id, 'agent');

  await transcribed(a.id, 'managerCall', manager.id, 'The manager approved the refund for the customer.');
  await transcribed(a.id, 'teamCall', agentInTeam.id, 'I would like a refund please. A refund, yes, a full refund.');
  await transcribed(a.id, 'outsideCall', agentOutside.id, 'Refund requested for the blue widget.');
  await transcribed(a.id, 'unownedCall', null, 'Somebody asked about a refund.');
  await transcribed(a.id, 'deletedCall', agentInTeam.id, 'Refund talk on a deleted recording.', { status: 'deleted' });
  await transcribed(a.id, 'failedCall', agentInTeam.id, 'refund', { transcriptStatus: 'failed' });
  await transcribed(b.id, 'otherCompanyCall', agentB.id, 'Company B also talks about a refund.');

  scopes.agentInTeam = { kind: 'company', companyId: a.id, ownerUserIds: [agentInTeam.id] };
  scopes.agentOutside = { kind: 'company', companyId: a.id, ownerUserIds: [agentOutside.id] };
  scopes.manager = { kind: 'company', companyId: a.id, ownerUserIds: [manager.id, agentInTeam.id] };
  scopes.adminA = { kind: 'company', companyId: a.id, ownerUserIds: null };
  scopes.agentB = { kind: 'company', companyId: b.id, ownerUserIds: [agentB.id] };
  scopes.adminB = { kind: 'company', companyId: b.id, ownerUserIds: null };
  scopes.nobody = { kind: 'company', companyId: a.id, ownerUserIds: [] };
  scopes.superadmin = { kind: 'platform', companyId: null };
  scopes.superadminOnA = { kind: 'platform', companyId: a.id };
});

afterAll(async () => {
  await env?.close();
});

describe('searchTranscripts scoping', () => {
  it('gives an agent only their own calls', async () => {
    expect(await found(scopes.agentInTeam!)).toEqual(['teamCall']);
    expect(await found(scopes.agentOutside!)).toEqual(['outsideCall']);
    expect(await found(scopes.agentB!)).toEqual(['otherCompanyCall']);
  });

  it('gives a manager their own and their reports’ calls', async () => {
    expect(await found(scopes.manager!)).toEqual(['managerCall', 'teamCall']);
  });

  it('gives a company admin the whole company and nothing of another', async () => {
    expect(await found(scopes.adminA!)).toEqual(['managerCall', 'outsideCall', 'teamCall', 'unownedCall']);
    expect(await found(scopes.adminB!)).toEqual(['otherCompanyCall']);
  });

  it('gives a superadmin every company, or the one asked for', async () => {
    expect(await found(scopes.superadmin!)).toEqual(['managerCall', 'otherCompanyCall', 'outsideCall', 'teamCall', 'unownedCall']);
    expect(await found(scopes.superadminOnA!)).toEqual(['managerCall', 'outsideCall', 'teamCall', 'unownedCall']);
  });

  it('matches nothing for an empty owner list', async () => {
    expect(await found(scopes.nobody!)).toEqual([]);
  });

  it('never returns deleted recordings or transcripts that did not complete', async () => {
    for (const scope of Object.values(scopes)) {
      const names = await found(scope);
      expect(names).not.toContain('deletedCall');
      expect(names).not.toContain('failedCall');
    }
  });

  it('finds words only in scope: another company’s unique word is invisible', async () => {
    expect(await found(scopes.adminA!, 'company B')).toEqual([]);
    expect(await found(scopes.adminB!, 'company B')).toEqual(['otherCompanyCall']);
  });
});

describe('searchTranscripts results', () => {
  it('ranks the better match first and returns the recording facts', async () => {
    const hits = await search(scopes.adminA!, 'refund');
    expect(hits[0]!.recordingId).toBe(ids.teamCall);
    for (let index = 1; index < hits.length; index += 1) expect(hits[index - 1]!.rank).toBeGreaterThanOrEqual(hits[index]!.rank);
    const team = hits[0]!;
    const row = await env.ownerDb.selectFrom('recordings').selectAll().where('id', '=', ids.teamCall!).executeTakeFirstOrThrow();
    expect(team).toMatchObject({ recordingId: row.id, callId: row.call_id, ownerUserId: row.owner_user_id, startedAt: row.started_at });
    expect(team.rank).toBeGreaterThan(0);
  });

  it('marks the matches in the snippet', async () => {
    const [hit] = await search(scopes.agentOutside!, 'widget');
    // Fragments are cut at word boundaries, so trailing punctuation may go.
    expect(hit!.snippet).toBe('Refund requested for the blue <mark>widget</mark>');
  });

  it('escapes markup from the transcript itself', async () => {
    const [adminScope] = [scopes.adminB!];
    const b = (adminScope as { companyId: string }).companyId;
    await transcribed(b, 'markupCall', null, 'Customer typed <script>alert(1)</script> & said "xylophone" < not a tag > <img src=x onerror=alert(2)>');
    const [hit] = await search(adminScope, 'xylophone');
    expect(hit!.recordingId).toBe(ids.markupCall);
    // Postgres's parser drops what it sees as tags; everything left is escaped, only our marks are markup.
    expect(hit!.snippet).toContain('&amp; said &quot;<mark>xylophone</mark>&quot; &lt; not a tag &gt;');
    expect(hit!.snippet.replaceAll('<mark>', '').replaceAll('</mark>', '')).not.toMatch(/[<>"]/);
  });

  it('understands web-search syntax: phrases, OR and exclusion', async () => {
    expect(await found(scopes.adminA!, '"blue widget"')).toEqual(['outsideCall']);
    expect(await found(scopes.adminA!, 'widget OR manager')).toEqual(['managerCall', 'outsideCall']);
    expect(await found(scopes.adminA!, 'refund -widget -manager -somebody')).toEqual(['teamCall']);
  });

  it('returns nothing for a query without words, and honours the limit', async () => {
    expect(await search(scopes.adminA!, '!!! ???')).toEqual([]);
    expect(await search(scopes.adminA!, 'refund', 2)).toHaveLength(2);
  });

  it('keeps at most two fragments of a long transcript', async () => {
    const a = (scopes.adminA as { companyId: string }).companyId;
    const filler = (word: string) => Array.from({ length: 60 }, () => word).join(' ');
    await transcribed(a, 'longCall', null, `zebra ${filler('alpha')} zebra ${filler('beta')} zebra ${filler('gamma')} zebra`);
    const [hit] = await search(scopes.adminA!, 'zebra');
    expect(hit!.snippet.split(' ... ').length).toBeLessThanOrEqual(2);
    expect(hit!.snippet).toContain('<mark>zebra</mark>');
  });
});

describe('searchTranscripts pages', () => {
  it('continues after a (rank, recording) position: every page of one hit adds up to the whole result, in order', async () => {
    for (const scope of [scopes.adminA!, scopes.manager!, scopes.superadmin!]) {
      const whole = await search(scope, 'refund');
      const walked: string[] = [];
      let after: SortPosition | null = null;
      for (let page = 0; page <= whole.length; page++) {
        const [hit, ...rest]: Awaited<ReturnType<typeof search>> = await search(scope, 'refund', 1, after);
        expect(rest).toEqual([]);
        if (!hit) break;
        walked.push(hit.recordingId);
        after = { value: hit.sort_value, id: hit.recordingId };
      }
      expect(walked).toEqual(whole.map((hit) => hit.recordingId));
    }
  });

  it('carries the rank exactly: the position of a hit excludes it and every better one', async () => {
    const whole = await search(scopes.adminA!, 'refund');
    const second = whole[1]!;
    expect(Number(second.sort_value)).toBe(second.rank);
    const rest = await search(scopes.adminA!, 'refund', 50, { value: second.sort_value, id: second.recordingId });
    expect(rest.map((hit) => hit.recordingId)).toEqual(whole.slice(2).map((hit) => hit.recordingId));
  });
});
