import { sql, type Kysely } from 'kysely';

/**
 * One path for every effect, and an outbox for every follow-up.
 *
 * - `job_outbox`: a job a state change implies, written in the transaction of that change and
 *   deleted once it is in Redis. Replaces the `jobs`/`enqueued_at` columns of webhook_events,
 *   whose pending jobs move here (nothing is lost on upgrade). `company_id` is null for the
 *   platform's own jobs (a tenant lookup of a quarantined event).
 * - webhook_events: effects are applied only by the claim loop, from the stored row; a failing
 *   event backs off (`effects_retry_at`, `effects_attempts`, `effects_error`) instead of blocking.
 * - `provider_transcripts`: what the providers said about a recording (VAPI's messages, Twilio's
 *   transcription text), stored when its event's effects are applied, so the transcriber reads
 *   facts of its own and never a provider payload. Likewise a VAPI report's short-lived presigned
 *   recording URL, the fetcher's fallback, moves onto the recording.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE job_outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      company_id uuid REFERENCES companies(id) ON DELETE CASCADE,
      queue text NOT NULL,
      job_id text NOT NULL,
      payload jsonb NOT NULL,
      priority integer,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    ALTER TABLE job_outbox ENABLE ROW LEVEL SECURITY;
    ALTER TABLE job_outbox FORCE ROW LEVEL SECURITY;
    CREATE POLICY company_isolation ON job_outbox USING (callvault_visible(company_id)) WITH CHECK (callvault_visible(company_id));

    INSERT INTO job_outbox (company_id, queue, job_id, payload, priority)
      SELECT e.company_id, job ->> 'queue', job ->> 'jobId', job -> 'payload', (job ->> 'priority')::integer
      FROM webhook_events e CROSS JOIN LATERAL jsonb_array_elements(e.jobs) AS job
      WHERE e.enqueued_at IS NULL AND (e.applied_at IS NOT NULL OR e.status = 'quarantined');
    DROP INDEX IF EXISTS webhook_events_unrelayed_idx;
    ALTER TABLE webhook_events DROP COLUMN jobs, DROP COLUMN enqueued_at;

    ALTER TABLE webhook_events
      ADD COLUMN effects_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN effects_retry_at timestamptz,
      ADD COLUMN effects_error text;
    DROP INDEX IF EXISTS webhook_events_unapplied_idx;
    CREATE INDEX webhook_events_unapplied_idx ON webhook_events (received_at, id) WHERE status = 'accepted' AND applied_at IS NULL;

    CREATE TABLE provider_transcripts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      provider text NOT NULL CHECK (provider IN ('twilio', 'vapi')),
      -- The recording it belongs to, as the provider names it (it may arrive before the recording row).
      provider_recording_id text NOT NULL,
      language text,
      text text NOT NULL,
      segments jsonb NOT NULL DEFAULT '[]',
      received_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, provider, provider_recording_id)
    );
    ALTER TABLE provider_transcripts ENABLE ROW LEVEL SECURITY;
    ALTER TABLE provider_transcripts FORCE ROW LEVEL SECURITY;
    CREATE POLICY company_isolation ON provider_transcripts USING (callvault_visible(company_id)) WITH CHECK (callvault_visible(company_id));

    ALTER TABLE recordings ADD COLUMN media_fallback_url text, ADD COLUMN media_fallback_expires_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE recordings DROP COLUMN IF EXISTS media_fallback_url, DROP COLUMN IF EXISTS media_fallback_expires_at;
    DROP TABLE IF EXISTS provider_transcripts;
    DROP INDEX IF EXISTS webhook_events_unapplied_idx;
    CREATE INDEX webhook_events_unapplied_idx ON webhook_events (received_at) WHERE status = 'accepted' AND applied_at IS NULL;
    ALTER TABLE webhook_events DROP COLUMN IF EXISTS effects_attempts, DROP COLUMN IF EXISTS effects_retry_at, DROP COLUMN IF EXISTS effects_error;
    ALTER TABLE webhook_events ADD COLUMN jobs jsonb NOT NULL DEFAULT '[]', ADD COLUMN enqueued_at timestamptz;
    UPDATE webhook_events SET enqueued_at = received_at;
    CREATE INDEX webhook_events_unrelayed_idx ON webhook_events (received_at) WHERE status IN ('accepted', 'quarantined') AND enqueued_at IS NULL;
    DROP TABLE IF EXISTS job_outbox;
  `.execute(db);
}
