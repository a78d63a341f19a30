import { sql, type Kysely } from 'kysely';

/**
 * Effects after the acknowledgement. Ingest commits an event row and answers; the event's effects
 * (calls, recordings, the jobs they cause) commit in a later transaction that sets `applied_at`.
 * An accepted event without it has effects still to come: the relay's sweep finds it through the
 * partial index after a crash or an overflow. `owner_user_id` keeps the owner the tenant
 * resolution found on arrival, so the effects never resolve the tenant again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE webhook_events ADD COLUMN applied_at timestamptz, ADD COLUMN owner_user_id uuid;
    UPDATE webhook_events SET applied_at = received_at WHERE status = 'accepted';
    CREATE INDEX webhook_events_unapplied_idx ON webhook_events (received_at) WHERE status = 'accepted' AND applied_at IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS webhook_events_unapplied_idx;
    ALTER TABLE webhook_events DROP COLUMN IF EXISTS applied_at, DROP COLUMN IF EXISTS owner_user_id;
  `.execute(db);
}
