import { describe, expect, it } from 'vitest';
import type { Call } from '@callvault/db';
import { openForFile, type TestEnvironment } from '@callvault/testing';
import { createRecordingsWorld, seedCall, seedProviderEvent, seedRecording } from './recordings-test-kit';

/**
 * A legal hold on one recording keeps what belongs to its whole call (the summary, the stored
 * provider payloads): deleting an unheld recording of the same call, or erasing a number that only
 * the held call's payloads mention, must leave that evidence as it was.
 */
const world = openForFile(createRecordingsWorld);
const WORDS = 'evidence words about the disputed contract';

async function contentOf(env: TestEnvironment, call: Call) {
  const { summary } = await env.ownerDb.selectFrom('calls').select('summary').where('id', '=', call.id).executeTakeFirstOrThrow();
  const payloads = await env.ownerDb
    .selectFrom('webhook_events')
    .select(['payload', 'payload_redacted_at'])
    .where('call_ref', '=', call.twilio_call_sid)
    .execute();
  return { summary, payloads: payloads.map((row) => ({ payload: row.payload as Record<string, unknown>, redactedAt: row.payload_redacted_at })) };
}

describe('legal hold and what belongs to the whole call', () => {
  it("deleting an unheld recording of a held call erases that recording only: the call's summary and payloads stay", async () => {
    const { env, a, users, tokens } = world();
    const call = await seedCall(env, a.id, { ownerUserId: users.agentA.id });
    const held = await seedRecording(env, call, { legalHold: true });
    const sibling = await seedRecording(env, call);
    await seedProviderEvent(env, call, WORDS);
    await env.ownerDb
      .updateTable('calls')
      .set({ summary: `Caller said ${WORDS}` })
      .where('id', '=', call.id)
      .execute();

    expect((await world().call(tokens.managerA, 'DELETE', `/v1/recordings/${held.id}`)).statusCode).toBe(409);
    expect((await world().call(tokens.managerA, 'DELETE', `/v1/recordings/${sibling.id}`)).statusCode).toBe(204);

    const after = await contentOf(env, call);
    expect(after.summary).toBe(`Caller said ${WORDS}`);
    expect(after.payloads).toEqual([{ payload: expect.objectContaining({ TranscriptionText: WORDS, From: call.from_number }), redactedAt: null }]);
    const rows = await env.ownerDb.selectFrom('recordings').select(['id', 'status', 'legal_hold']).where('call_id', '=', call.id).orderBy('id').execute();
    expect(rows.find((row) => row.id === held.id)).toMatchObject({ status: 'stored', legal_hold: true });
    expect(rows.find((row) => row.id === sibling.id)).toMatchObject({ status: 'deleted' });

    // Once the hold is lifted, deleting the last recording takes the call's content with it.
    await env.ownerDb.updateTable('recordings').set({ legal_hold: false }).where('id', '=', held.id).execute();
    expect((await world().call(tokens.managerA, 'DELETE', `/v1/recordings/${held.id}`)).statusCode).toBe(204);
    const erased = await contentOf(env, call);
    expect(erased.summary).toBeNull();
    expect(erased.payloads[0]!.payload.TranscriptionText).not.toContain('evidence');
    expect(erased.payloads[0]!.redactedAt).not.toBeNull();
  });

  it("refuses to erase a number that a held call's payload mentions outside its parties, naming that call, and changes nothing", async () => {
    const { env, a, users, tokens } = world();
    const subject = '+13125550888';
    const call = await seedCall(env, a.id, { ownerUserId: users.agentA.id, from: '+13125550101', to: '+13125550102' });
    const held = await seedRecording(env, call, { legalHold: true });
    await seedProviderEvent(env, call, WORDS, { ForwardedFrom: subject });

    const response = await world().call(tokens.adminA, 'DELETE', `/v1/data-subjects/${encodeURIComponent(subject)}`);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'legal_hold', heldRecordingIds: [held.id], heldCallIds: [call.id] });
    expect((await contentOf(env, call)).payloads[0]!.payload.ForwardedFrom).toBe(subject);

    await env.ownerDb.updateTable('recordings').set({ legal_hold: false }).where('id', '=', held.id).execute();
    const erased = await world().call(tokens.adminA, 'DELETE', `/v1/data-subjects/${encodeURIComponent(subject)}`);
    expect(erased.statusCode).toBe(200);
    expect((await contentOf(env, call)).payloads[0]!.payload.ForwardedFrom).toBe('[erased]');
  });
});
