import { sql, type Kysely } from 'kysely';

/**
 * A company-wide search (a company admin's, a superadmin's within one company) served by an index.
 *
 * Under row-level security `@@` is evaluated only after the policy, because it is not leakproof:
 * Postgres reads every transcript of the company and tests each, so a company with 20,000
 * transcripts spent ~30 ms per search whatever the word (0019 helps the owner-scoped searches of
 * agents and managers, whose scope is small). Marking `@@` leakproof needs a superuser and would
 * hold for every table.
 *
 * Instead the search vectors of completed transcripts of recordings not deleted are copied (by triggers) into
 * `transcript_search`, a table only its owner can read: no grant to the services' role, and row
 * security enabled with no policy (deny) but not forced, so the owner's functions read it without
 * a policy in the way. `callvault_company_search` (SECURITY DEFINER, owner) answers one page of
 * matches from it through a (company_id, search) GIN index (btree_gin, a trusted extension), for
 * the company of the calling transaction only: the company comes from the same setting the
 * policies read (`callvault.company_id`), never from an argument, and a transaction without one
 * (platform scope) gets nothing. It returns ids and ranks only; the caller joins them back to
 * `recordings` and `transcripts`, where row-level security and the code's own scope apply as before.
 *
 * `transcripts.search` stays (the owner-scoped search ranks with it); its GIN index goes, as no
 * query of the services' role could use it under row-level security.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS btree_gin;

    CREATE TABLE transcript_search (
      transcript_id uuid PRIMARY KEY REFERENCES transcripts (id) ON DELETE CASCADE,
      company_id uuid NOT NULL,
      recording_id uuid NOT NULL,
      search tsvector NOT NULL
    );
    CREATE INDEX transcript_search_company_words_idx ON transcript_search USING gin (company_id, search);
    ALTER TABLE transcript_search ENABLE ROW LEVEL SECURITY;

    -- Every company's rows, also for an owner that is not a superuser (row security is forced).
    SELECT set_config('callvault.platform', 'on', true);
    INSERT INTO transcript_search (transcript_id, company_id, recording_id, search)
      SELECT t.id, t.company_id, t.recording_id, t.search FROM transcripts t
      JOIN recordings r ON r.company_id = t.company_id AND r.id = t.recording_id
      WHERE t.status = 'completed' AND r.status <> 'deleted';
    -- Kysely runs every pending migration in one transaction: the ones after this one get no platform scope from here.
    SELECT set_config('callvault.platform', '', true);

    -- Runs as the owner (the services' role cannot write the table); names are qualified.
    CREATE FUNCTION callvault_sync_transcript_search() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      -- No lock on the recording here: a deletion locks the recording, then the transcript, and
      -- this runs with the transcript locked, so taking the recording's lock could deadlock. A copy
      -- saved while its recording is being deleted may stay: callvault_company_search skips it.
      IF NEW.status = 'completed' AND EXISTS (
        SELECT 1 FROM public.recordings r WHERE r.company_id = NEW.company_id AND r.id = NEW.recording_id AND r.status <> 'deleted'
      ) THEN
        INSERT INTO public.transcript_search (transcript_id, company_id, recording_id, search)
          VALUES (NEW.id, NEW.company_id, NEW.recording_id, NEW.search)
          ON CONFLICT (transcript_id) DO UPDATE
            SET company_id = EXCLUDED.company_id, recording_id = EXCLUDED.recording_id, search = EXCLUDED.search;
      ELSE
        DELETE FROM public.transcript_search WHERE transcript_id = NEW.id;
      END IF;
      RETURN NULL;
    END $$;
    REVOKE EXECUTE ON FUNCTION callvault_sync_transcript_search() FROM PUBLIC;
    CREATE TRIGGER transcripts_search_copy AFTER INSERT OR UPDATE OF status, text, analysis_text, company_id, recording_id ON transcripts
      FOR EACH ROW EXECUTE FUNCTION callvault_sync_transcript_search();

    -- A deleted recording's transcript goes with it (tombstoneRecordings); this keeps the copy right
    -- whichever way a recording is marked deleted.
    CREATE FUNCTION callvault_forget_deleted_recording_search() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      DELETE FROM public.transcript_search WHERE recording_id = NEW.id AND company_id = NEW.company_id;
      RETURN NULL;
    END $$;
    REVOKE EXECUTE ON FUNCTION callvault_forget_deleted_recording_search() FROM PUBLIC;
    CREATE TRIGGER recordings_search_forget AFTER UPDATE OF status ON recordings
      FOR EACH ROW WHEN (NEW.status = 'deleted' AND OLD.status <> 'deleted') EXECUTE FUNCTION callvault_forget_deleted_recording_search();

    -- Best match first, equal ranks by recording id (the order and cursor of every search page).
    -- A copy whose recording was deleted meanwhile is skipped (see the trigger). The check runs on
    -- the best matches only, 16 more than the page (such copies come from a rare race, one at a
    -- time), so ranking keeps its top-N sort instead of sorting every match.
    CREATE FUNCTION callvault_company_search(query tsquery, after_rank real, after_recording_id uuid, page_size integer)
    RETURNS TABLE (transcript_id uuid, recording_id uuid, rank real)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT ordered.transcript_id, ordered.recording_id, ordered.rank
      FROM (
        SELECT matched.transcript_id, matched.recording_id, matched.company_id, matched.rank
        FROM (
          SELECT s.transcript_id, s.recording_id, s.company_id, ts_rank(s.search, query) AS rank
          FROM public.transcript_search s
          WHERE s.company_id = (SELECT nullif(current_setting('callvault.company_id', true), '')::uuid)
            AND s.search @@ query
        ) matched
        WHERE after_rank IS NULL OR (matched.rank, matched.recording_id) < (after_rank, after_recording_id)
        ORDER BY matched.rank DESC, matched.recording_id DESC
        LIMIT least(greatest(page_size, 0), 1000) + 16
      ) ordered
      WHERE NOT EXISTS (
        SELECT 1 FROM public.recordings r WHERE r.company_id = ordered.company_id AND r.id = ordered.recording_id AND r.status = 'deleted'
      )
      ORDER BY ordered.rank DESC, ordered.recording_id DESC
      LIMIT least(greatest(page_size, 0), 1000)
    $$;
    -- For the services' role only (grantAppRole grants it), not every role that can connect.
    REVOKE EXECUTE ON FUNCTION callvault_company_search(tsquery, real, uuid, integer) FROM PUBLIC;

    DROP INDEX transcripts_search_idx;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX transcripts_search_idx ON transcripts USING gin (search);
    DROP FUNCTION callvault_company_search(tsquery, real, uuid, integer);
    DROP TRIGGER recordings_search_forget ON recordings;
    DROP FUNCTION callvault_forget_deleted_recording_search();
    DROP TRIGGER transcripts_search_copy ON transcripts;
    DROP FUNCTION callvault_sync_transcript_search();
    DROP TABLE transcript_search;
  `.execute(db);
}
