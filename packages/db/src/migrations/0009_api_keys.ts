import { sql, type Kysely } from 'kysely';

/**
 * API keys: a company's server-to-server credentials. Only the SHA-256 of a key is kept (the key
 * is shown once, at creation); `token_prefix` is what lists show to tell keys apart. A key acts as
 * one user of its company, with that user's role at most, and is read-only unless made otherwise.
 * Rotation gives the old key an end (`expires_at`) and names its successor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      role text NOT NULL CHECK (role IN ('company_admin', 'manager', 'agent')),
      read_only boolean NOT NULL DEFAULT true,
      token_hash text NOT NULL UNIQUE,
      token_prefix text NOT NULL,
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      rotated_to uuid REFERENCES api_keys(id) ON DELETE SET NULL,
      created_by_user_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- The user is of the key's own company: a key can never act in another.
      FOREIGN KEY (company_id, user_id) REFERENCES users(company_id, id) ON DELETE CASCADE
    );
    CREATE INDEX api_keys_company_idx ON api_keys (company_id, created_at, id);
    ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
    ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
    CREATE POLICY company_isolation ON api_keys USING (callvault_visible(company_id)) WITH CHECK (callvault_visible(company_id));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS api_keys`.execute(db);
}
