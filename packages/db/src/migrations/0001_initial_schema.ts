import { sql, type Kysely } from 'kysely';

/**
 * The whole schema of the contract. Every company-owned table carries a NOT NULL, indexed
 * company_id and a forced RLS policy; the services' role (callvault_app) does not own the
 * tables, so the policy binds it even when a query forgets its company filter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pgcrypto;

    -- Visible when the transaction runs for this company, or in platform mode (superadmin,
    -- ingest's tenant lookup). Both settings are transaction-local (set_config(..., true)).
    CREATE FUNCTION callvault_visible(row_company uuid) RETURNS boolean
      LANGUAGE sql STABLE AS $$
        SELECT coalesce(current_setting('callvault.platform', true), '') = 'on'
            OR row_company = nullif(current_setting('callvault.company_id', true), '')::uuid
      $$;

    CREATE TABLE companies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      retention_days integer CHECK (retention_days BETWEEN 1 AND 36500),
      recording_format text NOT NULL DEFAULT 'mp3' CHECK (recording_format IN ('mp3', 'wav')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE platform_admins (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      subject text NOT NULL UNIQUE,
      email text,
      name text,
      disabled boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      subject text NOT NULL UNIQUE,
      email text,
      name text,
      role text NOT NULL CHECK (role IN ('agent', 'manager', 'company_admin')),
      manager_id uuid,
      disabled boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, id),
      -- A manager belongs to the same company: the composite key makes any other value impossible.
      FOREIGN KEY (company_id, manager_id) REFERENCES users(company_id, id) ON DELETE SET NULL (manager_id),
      CHECK (manager_id IS NULL OR manager_id <> id)
    );
    CREATE INDEX users_company_idx ON users (company_id);
    CREATE INDEX users_manager_idx ON users (company_id, manager_id) WHERE manager_id IS NOT NULL;

    CREATE TABLE provider_accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      provider text NOT NULL CHECK (provider IN ('twilio', 'vapi')),
      external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
      secrets_sealed text NOT NULL,
      settings jsonb NOT NULL DEFAULT '{}',
      last_synced_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, provider),
      UNIQUE (provider, external_id, company_id)
    );
    CREATE INDEX provider_accounts_company_idx ON provider_accounts (company_id);
    CREATE INDEX provider_accounts_external_idx ON provider_accounts (provider, external_id);

    CREATE TABLE phone_numbers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      e164 text NOT NULL CHECK (e164 ~ '^\\+[1-9][0-9]{6,14}$'),
      match_on text NOT NULL CHECK (match_on IN ('from', 'to')),
      owner_user_id uuid,
      vapi_assistant_id text,
      label text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- A number+matchOn resolves to one company at most: never a guess between two.
      UNIQUE (e164, match_on),
      FOREIGN KEY (company_id, owner_user_id) REFERENCES users(company_id, id) ON DELETE SET NULL (owner_user_id)
    );
    CREATE INDEX phone_numbers_company_idx ON phone_numbers (company_id);

    CREATE TABLE calls (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      owner_user_id uuid,
      provider text NOT NULL CHECK (provider IN ('twilio', 'vapi')),
      twilio_account_sid text,
      twilio_call_sid text,
      vapi_call_id text,
      from_number text,
      to_number text,
      direction text,
      status text NOT NULL,
      status_rank integer NOT NULL DEFAULT 0,
      started_at timestamptz,
      ended_at timestamptz,
      duration_seconds integer,
      ended_reason text,
      cost numeric(12, 4),
      summary text,
      success_evaluation text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, id),
      UNIQUE (company_id, twilio_call_sid),
      UNIQUE (company_id, vapi_call_id),
      FOREIGN KEY (company_id, owner_user_id) REFERENCES users(company_id, id) ON DELETE SET NULL (owner_user_id)
    );
    CREATE INDEX calls_company_started_idx ON calls (company_id, started_at DESC, id DESC);
    CREATE INDEX calls_owner_started_idx ON calls (company_id, owner_user_id, started_at DESC, id DESC);

    CREATE TABLE recordings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      call_id uuid NOT NULL,
      owner_user_id uuid,
      provider text NOT NULL CHECK (provider IN ('twilio', 'vapi')),
      provider_recording_id text NOT NULL,
      media_url text,
      status text NOT NULL CHECK (status IN ('pending', 'fetching', 'stored', 'failed', 'absent', 'deleted')),
      status_reason text,
      format text,
      channels smallint,
      duration_seconds integer,
      size_bytes bigint,
      sha256 text,
      storage_key text,
      from_number text,
      to_number text,
      direction text,
      started_at timestamptz,
      tags text[] NOT NULL DEFAULT '{}',
      category text,
      priority smallint,
      starred boolean NOT NULL DEFAULT false,
      archived boolean NOT NULL DEFAULT false,
      legal_hold boolean NOT NULL DEFAULT false,
      play_count integer NOT NULL DEFAULT 0,
      last_played_at timestamptz,
      download_count integer NOT NULL DEFAULT 0,
      last_downloaded_at timestamptz,
      has_transcript boolean NOT NULL DEFAULT false,
      stored_at timestamptz,
      deleted_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, id),
      UNIQUE (company_id, provider, provider_recording_id),
      FOREIGN KEY (company_id, call_id) REFERENCES calls(company_id, id) ON DELETE CASCADE,
      FOREIGN KEY (company_id, owner_user_id) REFERENCES users(company_id, id) ON DELETE SET NULL (owner_user_id),
      -- The key must sit under the row's company prefix: the storage wall, checked by the database too.
      CHECK (storage_key IS NULL OR storage_key LIKE 'companies/' || company_id::text || '/%')
    );
    CREATE INDEX recordings_company_created_idx ON recordings (company_id, created_at DESC, id DESC);
    CREATE INDEX recordings_company_started_idx ON recordings (company_id, started_at DESC, id DESC);
    CREATE INDEX recordings_owner_created_idx ON recordings (company_id, owner_user_id, created_at DESC, id DESC);
    CREATE INDEX recordings_owner_started_idx ON recordings (company_id, owner_user_id, started_at DESC, id DESC);
    CREATE INDEX recordings_call_idx ON recordings (company_id, call_id);

    CREATE TABLE transcripts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      recording_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'completed', 'unavailable', 'failed')),
      source text,
      language text,
      text text,
      segments jsonb,
      redaction_count integer NOT NULL DEFAULT 0,
      search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(text, ''))) STORED,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, recording_id),
      FOREIGN KEY (company_id, recording_id) REFERENCES recordings(company_id, id) ON DELETE CASCADE
    );
    CREATE INDEX transcripts_company_idx ON transcripts (company_id);
    CREATE INDEX transcripts_search_idx ON transcripts USING gin (search);

    CREATE TABLE call_metrics (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      recording_id uuid NOT NULL,
      call_id uuid NOT NULL,
      metrics jsonb NOT NULL,
      computed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, recording_id),
      FOREIGN KEY (company_id, recording_id) REFERENCES recordings(company_id, id) ON DELETE CASCADE
    );
    CREATE INDEX call_metrics_company_idx ON call_metrics (company_id);

    CREATE TABLE webhook_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid REFERENCES companies(id) ON DELETE SET NULL,
      provider text NOT NULL CHECK (provider IN ('twilio', 'vapi')),
      event_type text NOT NULL,
      idempotency_key text NOT NULL UNIQUE,
      status text NOT NULL CHECK (status IN ('accepted', 'quarantined', 'rejected')),
      reason text,
      external_account_id text,
      -- The provider's id of the call (Twilio CallSid, VAPI call id): finds a call's source material.
      call_ref text,
      payload jsonb NOT NULL,
      request_path text NOT NULL,
      jobs jsonb NOT NULL DEFAULT '[]',
      enqueued_at timestamptz,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX webhook_events_company_idx ON webhook_events (company_id, received_at DESC);
    CREATE INDEX webhook_events_call_ref_idx ON webhook_events (company_id, call_ref) WHERE call_ref IS NOT NULL;
    CREATE INDEX webhook_events_status_idx ON webhook_events (status, received_at DESC);
    CREATE INDEX webhook_events_unrelayed_idx ON webhook_events (received_at) WHERE status = 'accepted' AND enqueued_at IS NULL;

    CREATE TABLE audit_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      actor_user_id uuid,
      actor_subject text NOT NULL,
      actor_role text NOT NULL,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text,
      details jsonb NOT NULL DEFAULT '{}',
      ip text,
      user_agent text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_events_company_idx ON audit_events (company_id, created_at DESC, id DESC);
  `.execute(db);

  for (const table of ['users', 'provider_accounts', 'phone_numbers', 'calls', 'recordings', 'transcripts', 'call_metrics', 'audit_events', 'webhook_events']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY company_isolation ON ${sql.table(table)}
        USING (callvault_visible(company_id)) WITH CHECK (callvault_visible(company_id));
    `.execute(db);
  }
  await sql`
    ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
    ALTER TABLE companies FORCE ROW LEVEL SECURITY;
    CREATE POLICY company_isolation ON companies USING (callvault_visible(id)) WITH CHECK (callvault_visible(id));
    ALTER TABLE platform_admins ENABLE ROW LEVEL SECURITY;
    ALTER TABLE platform_admins FORCE ROW LEVEL SECURITY;
    CREATE POLICY platform_only ON platform_admins
      USING (coalesce(current_setting('callvault.platform', true), '') = 'on')
      WITH CHECK (coalesce(current_setting('callvault.platform', true), '') = 'on');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS audit_events, webhook_events, call_metrics, transcripts, recordings, calls,
      phone_numbers, provider_accounts, users, platform_admins, companies CASCADE;
    DROP FUNCTION IF EXISTS callvault_visible(uuid);
  `.execute(db);
}
