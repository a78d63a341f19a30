import { sql, type Kysely } from 'kysely';

/**
 * Erasure and lifetimes.
 * - `webhook_events.payload_redacted_at`: when a stored provider payload lost its content (by an
 *   erasure or by its lifetime); the lifetime job finds what is still to redact by its index.
 * - `companies.audit_retention_days`: how long a company's audit events are kept (default six
 *   years, the HIPAA documentation period; never under one year, so a company admin acting in bad
 *   faith cannot shorten the trail of what they did).
 * - `prune_expired_audit_events`: the only way audit events are ever deleted. The services' role
 *   may not delete them (grant); this function, owned by the schema owner, deletes only those
 *   older than their company's period, measured against the database's own clock at the latest,
 *   so a wrong clock handed to it cannot cut the trail short.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE webhook_events ADD COLUMN payload_redacted_at timestamptz;
    CREATE INDEX webhook_events_unredacted_idx ON webhook_events (applied_at) WHERE payload_redacted_at IS NULL AND applied_at IS NOT NULL;

    ALTER TABLE companies ADD COLUMN audit_retention_days integer NOT NULL DEFAULT 2192
      CHECK (audit_retention_days BETWEEN 365 AND 36500);

    CREATE FUNCTION prune_expired_audit_events(as_of timestamptz, batch integer) RETURNS integer
    LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
      WITH expired AS (
        SELECT a.id FROM audit_events a JOIN companies c ON c.id = a.company_id
        WHERE a.created_at < least(as_of, now()) - make_interval(days => c.audit_retention_days)
        ORDER BY a.created_at
        LIMIT batch
      ), removed AS (
        DELETE FROM audit_events WHERE id IN (SELECT id FROM expired) RETURNING 1
      )
      SELECT count(*)::integer FROM removed
    $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP FUNCTION IF EXISTS prune_expired_audit_events(timestamptz, integer);
    ALTER TABLE companies DROP COLUMN IF EXISTS audit_retention_days;
    DROP INDEX IF EXISTS webhook_events_unredacted_idx;
    ALTER TABLE webhook_events DROP COLUMN IF EXISTS payload_redacted_at;
  `.execute(db);
}
