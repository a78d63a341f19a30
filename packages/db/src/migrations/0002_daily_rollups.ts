import { sql, type Kysely } from 'kysely';

/**
 * Daily rollups per (company, owner, day) for stats. Row triggers on calls, recordings and
 * call_metrics only mark a (company, day) dirty (cheap, on the webhook path); the analytics
 * service recomputes dirty days from the underlying rows, so a rollup always equals a direct
 * count once refreshed, whatever inserts, deletes and re-runs happened.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE calls ADD COLUMN call_day date GENERATED ALWAYS AS ((coalesce(started_at, created_at) AT TIME ZONE 'UTC')::date) STORED;
    CREATE INDEX calls_company_day_idx ON calls (company_id, call_day);

    CREATE TABLE daily_rollups (
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      owner_user_id uuid,
      day date NOT NULL,
      calls integer NOT NULL,
      answered_calls integer NOT NULL,
      inbound_calls integer NOT NULL,
      outbound_calls integer NOT NULL,
      recordings_stored integer NOT NULL,
      recordings_failed integer NOT NULL,
      recordings_other integer NOT NULL,
      recorded_seconds bigint NOT NULL,
      stored_bytes bigint NOT NULL,
      talk_ratio_sum double precision NOT NULL,
      talk_ratio_count integer NOT NULL,
      refreshed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE NULLS NOT DISTINCT (company_id, day, owner_user_id)
    );
    CREATE INDEX daily_rollups_owner_idx ON daily_rollups (company_id, owner_user_id, day);

    -- Append-only on purpose: a unique key would make every webhook of a company-day wait for
    -- the previous one's commit (ON CONFLICT on an uncommitted row blocks). The refresher dedupes.
    CREATE TABLE rollup_dirty_days (
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      day date NOT NULL,
      marked_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX rollup_dirty_days_marked_idx ON rollup_dirty_days (marked_at);

    CREATE FUNCTION callvault_mark_call_day() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        INSERT INTO rollup_dirty_days (company_id, day) VALUES (OLD.company_id, OLD.call_day);
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO rollup_dirty_days (company_id, day) VALUES (NEW.company_id, NEW.call_day);
      END IF;
      RETURN NULL;
    END $$;

    -- Recordings and metrics count on their call's day.
    CREATE FUNCTION callvault_mark_child_day() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      target record;
    BEGIN
      IF TG_OP = 'DELETE' THEN target := OLD; ELSE target := NEW; END IF;
      INSERT INTO rollup_dirty_days (company_id, day)
        SELECT c.company_id, c.call_day FROM calls c WHERE c.company_id = target.company_id AND c.id = target.call_id;
      RETURN NULL;
    END $$;

    CREATE TRIGGER calls_mark_rollup AFTER INSERT OR DELETE OR UPDATE OF company_id, owner_user_id, status, direction, started_at, duration_seconds
      ON calls FOR EACH ROW EXECUTE FUNCTION callvault_mark_call_day();
    CREATE TRIGGER recordings_mark_rollup AFTER INSERT OR DELETE OR UPDATE OF status, duration_seconds, size_bytes, owner_user_id
      ON recordings FOR EACH ROW EXECUTE FUNCTION callvault_mark_child_day();
    CREATE TRIGGER call_metrics_mark_rollup AFTER INSERT OR DELETE OR UPDATE OF metrics
      ON call_metrics FOR EACH ROW EXECUTE FUNCTION callvault_mark_child_day();

    -- Recomputes one company-day from the base rows. The advisory lock serialises refreshes of
    -- the same day, so a concurrent refresh sees the other's result instead of a duplicate key.
    CREATE FUNCTION callvault_refresh_rollup_day(p_company uuid, p_day date) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended(p_company::text || ':' || p_day::text, 0));
      DELETE FROM daily_rollups WHERE company_id = p_company AND day = p_day;
      INSERT INTO daily_rollups (company_id, owner_user_id, day, calls, answered_calls, inbound_calls, outbound_calls,
          recordings_stored, recordings_failed, recordings_other, recorded_seconds, stored_bytes, talk_ratio_sum, talk_ratio_count)
        SELECT c.company_id, c.owner_user_id, p_day,
          count(*),
          count(*) FILTER (WHERE c.status IN ('in-progress', 'completed') OR (c.status = 'ended' AND coalesce(c.duration_seconds, 0) > 0)),
          count(*) FILTER (WHERE c.direction = 'inbound'),
          count(*) FILTER (WHERE c.direction LIKE 'outbound%'),
          coalesce(sum(r.stored), 0), coalesce(sum(r.failed), 0), coalesce(sum(r.other), 0),
          coalesce(sum(r.recorded_seconds), 0), coalesce(sum(r.stored_bytes), 0),
          coalesce(sum(r.talk_ratio_sum), 0), coalesce(sum(r.talk_ratio_count), 0)
        FROM calls c
        LEFT JOIN LATERAL (
          SELECT
            count(*) FILTER (WHERE rec.status = 'stored') AS stored,
            count(*) FILTER (WHERE rec.status = 'failed') AS failed,
            count(*) FILTER (WHERE rec.status NOT IN ('stored', 'failed', 'deleted')) AS other,
            sum(rec.duration_seconds) FILTER (WHERE rec.status = 'stored') AS recorded_seconds,
            sum(rec.size_bytes) FILTER (WHERE rec.status = 'stored') AS stored_bytes,
            sum((m.metrics -> 'audio' ->> 'talkRatio')::double precision) FILTER (WHERE rec.status = 'stored') AS talk_ratio_sum,
            count(m.metrics -> 'audio' ->> 'talkRatio') FILTER (WHERE rec.status = 'stored') AS talk_ratio_count
          FROM recordings rec
          LEFT JOIN call_metrics m ON m.company_id = rec.company_id AND m.recording_id = rec.id
          WHERE rec.company_id = c.company_id AND rec.call_id = c.id
        ) r ON true
        WHERE c.company_id = p_company AND c.call_day = p_day
        GROUP BY c.company_id, c.owner_user_id;
    END $$;
  `.execute(db);
  for (const table of ['daily_rollups', 'rollup_dirty_days']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY company_isolation ON ${sql.table(table)}
        USING (callvault_visible(company_id)) WITH CHECK (callvault_visible(company_id));
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS calls_mark_rollup ON calls;
    DROP TRIGGER IF EXISTS recordings_mark_rollup ON recordings;
    DROP TRIGGER IF EXISTS call_metrics_mark_rollup ON call_metrics;
    DROP FUNCTION IF EXISTS callvault_refresh_rollup_day(uuid, date);
    DROP FUNCTION IF EXISTS callvault_mark_child_day();
    DROP FUNCTION IF EXISTS callvault_mark_call_day();
    DROP TABLE IF EXISTS rollup_dirty_days, daily_rollups;
    DROP INDEX IF EXISTS calls_company_day_idx;
    ALTER TABLE calls DROP COLUMN IF EXISTS call_day;
  `.execute(db);
}
