import { sql, type Kysely } from 'kysely';

/**
 * The change feed (`updatedAfter` with `sort=updatedAt` on the calls, recordings and transcripts
 * lists). Three parts:
 * - `updated_at` is set by a trigger on every insert and every update that changes the row, so no
 *   code path can forget it. It is the time of the write (clock_timestamp), not of the
 *   transaction's start, and the feed only shows rows older than the oldest open transaction
 *   (see repos/change-feed.ts): a transaction that commits late can then never slip in behind
 *   a mirror's position.
 * - a row hard-deleted from one of the three tables leaves a tombstone (id, owner for the scope
 *   filters, time) so a mirror learns about it. Recordings are normally deleted softly (status
 *   'deleted'), their transcripts hard.
 * - indexes for the feed's order, company-wide and per owner (agents and managers).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION callvault_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
      END IF;
      NEW.updated_at := clock_timestamp();
      RETURN NEW;
    END
    $fn$;

    CREATE TABLE feed_tombstones (
      id uuid NOT NULL,
      company_id uuid NOT NULL,
      entity text NOT NULL CHECK (entity IN ('call', 'recording', 'transcript')),
      owner_user_id uuid,
      deleted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (company_id, entity, id)
    );
    CREATE INDEX feed_tombstones_feed_idx ON feed_tombstones (company_id, entity, updated_at, id);
    CREATE INDEX feed_tombstones_owner_feed_idx ON feed_tombstones (company_id, entity, owner_user_id, updated_at, id);
    ALTER TABLE feed_tombstones ENABLE ROW LEVEL SECURITY;
    ALTER TABLE feed_tombstones FORCE ROW LEVEL SECURITY;
    CREATE POLICY company_isolation ON feed_tombstones USING (callvault_visible(company_id)) WITH CHECK (callvault_visible(company_id));

    -- No foreign key to companies: when a company itself is deleted its rows cascade away and must
    -- leave nothing behind, so the trigger skips rows whose company is gone.
    CREATE FUNCTION callvault_leave_tombstone() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
      owner uuid;
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM companies WHERE id = OLD.company_id) THEN
        RETURN OLD;
      END IF;
      IF TG_ARGV[0] = 'transcript' THEN
        SELECT owner_user_id INTO owner FROM recordings WHERE company_id = OLD.company_id AND id = OLD.recording_id;
      ELSE
        owner := OLD.owner_user_id;
      END IF;
      INSERT INTO feed_tombstones (id, company_id, entity, owner_user_id)
      VALUES (OLD.id, OLD.company_id, TG_ARGV[0], owner)
      ON CONFLICT (company_id, entity, id) DO UPDATE SET deleted_at = clock_timestamp(), updated_at = clock_timestamp(), owner_user_id = excluded.owner_user_id;
      RETURN OLD;
    END
    $fn$;
  `.execute(db);

  for (const [table, entity] of [
    ['calls', 'call'],
    ['recordings', 'recording'],
    ['transcripts', 'transcript'],
  ] as const) {
    await sql`
      CREATE TRIGGER touch_updated_at BEFORE INSERT OR UPDATE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION callvault_touch_updated_at();
      CREATE TRIGGER leave_tombstone AFTER DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION callvault_leave_tombstone(${sql.lit(entity)});
      CREATE INDEX ${sql.id(`${table}_feed_idx`)} ON ${sql.table(table)} (company_id, updated_at, id);
    `.execute(db);
  }
  await sql`
    CREATE INDEX calls_owner_feed_idx ON calls (company_id, owner_user_id, updated_at, id);
    CREATE INDEX recordings_owner_feed_idx ON recordings (company_id, owner_user_id, updated_at, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS touch_updated_at ON calls;
    DROP TRIGGER IF EXISTS touch_updated_at ON recordings;
    DROP TRIGGER IF EXISTS touch_updated_at ON transcripts;
    DROP TRIGGER IF EXISTS leave_tombstone ON calls;
    DROP TRIGGER IF EXISTS leave_tombstone ON recordings;
    DROP TRIGGER IF EXISTS leave_tombstone ON transcripts;
    DROP INDEX IF EXISTS calls_feed_idx, recordings_feed_idx, transcripts_feed_idx, calls_owner_feed_idx, recordings_owner_feed_idx;
    DROP TABLE IF EXISTS feed_tombstones;
    DROP FUNCTION IF EXISTS callvault_leave_tombstone();
    DROP FUNCTION IF EXISTS callvault_touch_updated_at();
  `.execute(db);
}
