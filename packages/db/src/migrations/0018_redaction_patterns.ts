import { sql, type Kysely } from 'kysely';

/**
 * A company's own redaction patterns (medical record numbers, policy numbers...), applied with
 * the built-in card and SSN redaction to every call text stored after they are set. The gateway
 * stores only patterns proven linear-time and bounded; the checks here are the last wall on size.
 * `position` keeps the admin's order, which is the order they are applied in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE redaction_patterns (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
      source text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
      placeholder text NOT NULL CHECK (length(placeholder) BETWEEN 1 AND 60),
      position integer NOT NULL CHECK (position BETWEEN 0 AND 99),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, name)
    );

    ALTER TABLE redaction_patterns ENABLE ROW LEVEL SECURITY;
    ALTER TABLE redaction_patterns FORCE ROW LEVEL SECURITY;
    CREATE POLICY company_isolation ON redaction_patterns USING (callvault_visible(company_id)) WITH CHECK (callvault_visible(company_id));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS redaction_patterns`.execute(db);
}
