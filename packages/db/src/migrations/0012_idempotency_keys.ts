import { sql, type Kysely } from 'kysely';

/**
 * Idempotency-Key on the gateway's POSTs: the first request with a key claims it (in_progress),
 * its answer is kept (completed) and replayed to a repeat within 24 h. A key belongs to one
 * principal (a user, an API key or a superadmin), so two callers never share one; rows of a
 * company's callers carry its company_id (RLS), a superadmin's none (platform transactions only).
 * The operations service deletes expired rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE idempotency_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid REFERENCES companies(id) ON DELETE CASCADE,
      principal text NOT NULL CHECK (length(principal) <= 200),
      key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
      request_hash text NOT NULL,
      status text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'completed')),
      response_status integer,
      response_content_type text,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL DEFAULT now() + interval '24 hours',
      UNIQUE (principal, key)
    );
    CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);
    ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
    ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
    CREATE POLICY company_isolation ON idempotency_keys USING (callvault_visible(company_id)) WITH CHECK (callvault_visible(company_id));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS idempotency_keys`.execute(db);
}
