import { sql, type Kysely } from 'kysely';

/**
 * Search under row-level security. `@@` is not leakproof, so for the services' role Postgres
 * evaluates it only after the policy: no index on the text (GIN, or btree_gin on (company_id,
 * search)) can serve a search, whatever the query's own company filter. What an index can serve
 * is the scope: the recordings of the company or of its owners that have a completed transcript,
 * about a tenth of them. This index holds exactly those, with every column search returns, so an
 * agent's or a manager's search reads its own transcribed recordings from the index alone and
 * looks up their transcripts, instead of reading every recording in scope from the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX recordings_transcribed_idx ON recordings (company_id, owner_user_id, id) INCLUDE (call_id, started_at)
      WHERE has_transcript AND status <> 'deleted';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS recordings_transcribed_idx`.execute(db);
}
