import { sql, type Kysely } from 'kysely';

/**
 * Call intelligence: each company's opt-in and scorecard questions (with an optional model server
 * of its own, its key sealed like provider credentials), one analysis per recording, and the
 * tokens each company spent per model and day. An analysis row keeps the last result that passed
 * validation in `result` while a re-run is pending or after it failed: a failure sets `status`
 * and `error`, never clears the result.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE intelligence_settings (
      company_id uuid PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
      enabled boolean NOT NULL DEFAULT false,
      scorecard_questions jsonb NOT NULL DEFAULT '[]',
      model_base_url text CHECK (length(model_base_url) <= 2048),
      model_name text CHECK (length(model_name) <= 200),
      model_key_sealed text,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE call_analyses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      recording_id uuid NOT NULL,
      call_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('completed', 'failed')),
      result jsonb,
      model text,
      completed_at timestamptz,
      error text CHECK (length(error) <= 1000),
      failed_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, recording_id),
      FOREIGN KEY (company_id, recording_id) REFERENCES recordings(company_id, id) ON DELETE CASCADE
    );

    CREATE TABLE model_usage (
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      model text NOT NULL,
      day date NOT NULL,
      requests integer NOT NULL DEFAULT 0,
      prompt_tokens bigint NOT NULL DEFAULT 0,
      completion_tokens bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (company_id, model, day)
    );
  `.execute(db);
  for (const table of ['intelligence_settings', 'call_analyses', 'model_usage']) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY company_isolation ON ${sql.table(table)} USING (callvault_visible(company_id)) WITH CHECK (callvault_visible(company_id));
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS model_usage, call_analyses, intelligence_settings`.execute(db);
}
