import { sql, type Kysely } from 'kysely';

/**
 * The model's summary and topics of a call are searchable with its transcript: a transcript row
 * carries them as `analysis_text` (written with the analysis, gone with the transcript), and the
 * generated `search` vector covers both. A generated column's expression cannot be altered, so
 * `search` and its GIN index are rebuilt (a rewrite of the table, once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE transcripts ADD COLUMN analysis_text text CHECK (length(analysis_text) <= 20000);
    ALTER TABLE transcripts DROP COLUMN search;
    ALTER TABLE transcripts ADD COLUMN search tsvector
      GENERATED ALWAYS AS (to_tsvector('simple', coalesce(text, '') || ' ' || coalesce(analysis_text, ''))) STORED;
    CREATE INDEX transcripts_search_idx ON transcripts USING gin (search);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE transcripts DROP COLUMN search;
    ALTER TABLE transcripts DROP COLUMN analysis_text;
    ALTER TABLE transcripts ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(text, ''))) STORED;
    CREATE INDEX transcripts_search_idx ON transcripts USING gin (search);
  `.execute(db);
}
