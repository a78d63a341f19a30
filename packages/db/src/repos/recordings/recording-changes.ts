import type { Updateable } from 'kysely';
import type { ReadTx, ScopedTx } from '../../read-scope';
import type { Database, Recording, Transcript } from '../../schema';
import { whereInScope } from '../recording-queries';
import { inScope, type InScope } from '../../in-scope';
import { assertOwnCompany } from '../../own-company';

/** The fields a user may change on a recording; everything else belongs to the pipeline. */
export interface RecordingFieldChanges {
  tags?: string[];
  category?: string | null;
  priority?: number | null;
  starred?: boolean;
  archived?: boolean;
}

/**
 * Recordings in scope (not deleted), locked for a change in id order so two bulk requests over
 * the same ids cannot deadlock. Ids outside the scope are simply absent from the result.
 */
export async function lockRecordingsInScope(tx: ReadTx, recordingIds: readonly string[]): Promise<InScope<Recording>[]> {
  if (recordingIds.length === 0) return [];
  const rows = await whereInScope(tx.selectFrom('recordings').selectAll(), tx.readScope)
    .where('recordings.id', 'in', recordingIds)
    .where('recordings.status', '<>', 'deleted')
    .orderBy('recordings.id')
    .forUpdate()
    .execute();
  return inScope(rows);
}

export async function lockRecordingInScope(tx: ReadTx, recordingId: string): Promise<InScope<Recording> | undefined> {
  return (await lockRecordingsInScope(tx, [recordingId]))[0];
}

type RecordingInScope = InScope<Pick<Recording, 'id' | 'company_id'>>;

/** Applies user changes to a recording the caller has locked in scope. */
export async function updateRecordingFields(tx: ScopedTx, recording: RecordingInScope, changes: RecordingFieldChanges): Promise<InScope<Recording>> {
  const set = {
    ...(changes.tags !== undefined ? { tags: changes.tags } : {}),
    ...(changes.category !== undefined ? { category: changes.category } : {}),
    ...(changes.priority !== undefined ? { priority: changes.priority } : {}),
    ...(changes.starred !== undefined ? { starred: changes.starred } : {}),
    ...(changes.archived !== undefined ? { archived: changes.archived } : {}),
  };
  return updateLocked(tx, recording, set, 'updateRecordingFields');
}

export async function setRecordingLegalHold(tx: ScopedTx, recording: RecordingInScope, legalHold: boolean): Promise<InScope<Recording>> {
  return updateLocked(tx, recording, { legal_hold: legalHold }, 'setRecordingLegalHold');
}

/** One recording's row changed (and its `updated_at` with it); still in scope, so still branded. */
async function updateLocked(tx: ScopedTx, recording: RecordingInScope, changes: Updateable<Database['recordings']>, what: string): Promise<InScope<Recording>> {
  assertOwnCompany(tx, [recording], what);
  const updated = await tx
    .updateTable('recordings')
    .set({ ...changes, updated_at: new Date() })
    .where('company_id', '=', recording.company_id)
    .where('id', '=', recording.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return inScope([updated])[0]!;
}

/** The transcript of a recording the caller found in scope. */
export async function getTranscriptOfRecording(tx: ScopedTx, recording: RecordingInScope): Promise<Transcript | undefined> {
  assertOwnCompany(tx, [recording], 'getTranscriptOfRecording');
  return tx.selectFrom('transcripts').selectAll().where('company_id', '=', recording.company_id).where('recording_id', '=', recording.id).executeTakeFirst();
}
