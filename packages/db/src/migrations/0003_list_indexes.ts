import { sql, type Kysely } from 'kysely';

/** Keyset pages for every sort the API offers, and the retention sweep's work list. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX recordings_company_duration_idx ON recordings (company_id, duration_seconds DESC, id DESC);
    CREATE INDEX recordings_owner_duration_idx ON recordings (company_id, owner_user_id, duration_seconds DESC, id DESC);
    CREATE INDEX calls_company_created_idx ON calls (company_id, created_at DESC, id DESC);
    CREATE INDEX calls_company_duration_idx ON calls (company_id, duration_seconds DESC, id DESC);
    CREATE INDEX recordings_pending_object_deletion_idx ON recordings (deleted_at) WHERE status = 'deleted' AND storage_key IS NOT NULL;
    CREATE INDEX recordings_retention_idx ON recordings (company_id, (coalesce(started_at, created_at))) WHERE status <> 'deleted';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS recordings_company_duration_idx, recordings_owner_duration_idx, calls_company_created_idx,
      calls_company_duration_idx, recordings_pending_object_deletion_idx, recordings_retention_idx;
  `.execute(db);
}
