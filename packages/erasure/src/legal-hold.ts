import type { Recording } from '@callvault/db';

/**
 * Thrown by the erasure path when asked to erase a recording under legal hold: nothing is
 * erased. `held` lists the recordings (ids and their calls) so an API can answer 409 naming them.
 */
export class RecordingsUnderLegalHoldError extends Error {
  readonly held: ReadonlyArray<{ recordingId: string; callId: string }>;

  constructor(held: ReadonlyArray<Pick<Recording, 'id' | 'call_id'>>) {
    super(`${held.length} recording(s) under legal hold`);
    this.name = 'RecordingsUnderLegalHoldError';
    this.held = held.map((recording) => ({ recordingId: recording.id, callId: recording.call_id }));
  }
}

/** Refuses the whole erasure when any recording is held: a partial erasure would surprise both sides. */
export function assertNoLegalHold(recordings: readonly Recording[]): void {
  const held = recordings.filter((recording) => recording.legal_hold);
  if (held.length > 0) throw new RecordingsUnderLegalHoldError(held);
}
