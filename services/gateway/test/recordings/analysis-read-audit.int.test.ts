import { describe, expect, it } from 'vitest';
import { openForFile } from '@callvault/testing';
import { createRecordingsWorld, seedCallWithRecording, seedTranscript } from './recordings-test-kit';

/**
 * The analysis on GET /v1/recordings/{id} quotes the call (its summary and evidence), so every
 * read of it is audited like a transcript read: the data-subject export's access log must show it.
 */
const world = openForFile(createRecordingsWorld);
const QUOTE = 'I want a refund for the March invoice';

describe('reading a call analysis', () => {
  it('leaves a recording.analysis.read event for every role; a recording without analysis leaves none for a company user', async () => {
    const { env, a, users, tokens } = world();
    const { call, recording } = await seedCallWithRecording(env, a.id, users.agentA.id);
    const plain = await seedCallWithRecording(env, a.id, users.agentA.id);
    await seedTranscript(env, recording, QUOTE);
    await env.ownerDb
      .insertInto('call_analyses')
      .values({
        company_id: a.id,
        recording_id: recording.id,
        call_id: call.id,
        status: 'completed',
        model: 'm',
        completed_at: new Date(),
        result: JSON.stringify({
          summary: `Caller said: ${QUOTE}`,
          topics: [],
          actionItems: [],
          sentiment: [],
          scorecard: [],
          droppedQuotes: 0,
          repaired: false,
        }),
      })
      .execute();
    const trail = (id: string) => env.ownerDb.selectFrom('audit_events').select(['action', 'actor_user_id']).where('target_id', '=', id).execute();

    for (const [token, user] of [
      [tokens.agentA, users.agentA],
      [tokens.managerA, users.managerA],
      [tokens.adminA, users.adminA],
    ] as const) {
      const detail = await world().call(token, 'GET', `/v1/recordings/${recording.id}`);
      expect(detail.statusCode).toBe(200);
      expect(JSON.stringify(detail.json().analysis)).toContain(QUOTE);
      expect(await trail(recording.id)).toContainEqual({ action: 'recording.analysis.read', actor_user_id: user.id });
    }
    expect((await world().call(tokens.agentA, 'GET', `/v1/recordings/${plain.recording.id}`)).statusCode).toBe(200);
    expect(await trail(plain.recording.id)).toEqual([]);
  });
});
