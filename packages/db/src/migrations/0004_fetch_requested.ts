import { sql, type Kysely } from 'kysely';

/**
 * When a fetch was last decided for a recording. A recording still pending or fetching long after
 * that has lost its job (a Redis without persistence restarted, say): the fetch re-drive finds it
 * through the partial index and enqueues it again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE recordings ADD COLUMN fetch_requested_at timestamptz;
    CREATE INDEX recordings_fetch_waiting_idx ON recordings (fetch_requested_at) WHERE status IN ('pending', 'fetching') AND fetch_requested_at IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS recordings_fetch_waiting_idx;
    ALTER TABLE recordings DROP COLUMN IF EXISTS fetch_requested_at;
  `.execute(db);
}
