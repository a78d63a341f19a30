import { randomUUID } from 'node:crypto';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  countPlayback,
  getRecordingInScope,
  listCallRecordingDetails,
  lockRecordingsInScope,
  setRecordingLegalHold,
  tombstoneRecordings,
  updateRecordingFields,
  Call,
  InScope,
  Recording,
} from '@callvault/db';

/**
 * The rows a mutation takes must come from a scoped lookup or lock. These are compile-time
 * checks: `pnpm typecheck` (in CI) fails when a mutation accepts a row built by hand again, or a
 * scoped read stops returning the branded row; at run time they do nothing.
 */
describe('rows read in scope (a branded type)', () => {
  const handMade = { id: randomUUID(), company_id: randomUUID() } satisfies Pick<Recording, 'id' | 'company_id'>;

  it('refuses a row built by hand where a mutation wants one read in scope', () => {
    expectTypeOf(handMade).not.toExtend<Parameters<typeof updateRecordingFields>[1]>();
    expectTypeOf(handMade).not.toExtend<Parameters<typeof setRecordingLegalHold>[1]>();
    expectTypeOf(handMade).not.toExtend<Parameters<typeof countPlayback>[1]>();
    expectTypeOf([handMade]).not.toExtend<Parameters<typeof tombstoneRecordings>[1]>();
    expectTypeOf({ id: randomUUID(), company_id: randomUUID() }).not.toExtend<Parameters<typeof listCallRecordingDetails>[1]>();
  });

  it('accepts what the scoped reads return', () => {
    type Found = NonNullable<Awaited<ReturnType<typeof getRecordingInScope>>>;
    expectTypeOf<Found>().toEqualTypeOf<InScope<Recording>>();
    expectTypeOf<Found>().toExtend<Parameters<typeof updateRecordingFields>[1]>();
    expectTypeOf<Awaited<ReturnType<typeof lockRecordingsInScope>>>().toExtend<Parameters<typeof tombstoneRecordings>[1]>();
    expectTypeOf<InScope<Call>>().toExtend<Parameters<typeof listCallRecordingDetails>[1]>();
  });
});
