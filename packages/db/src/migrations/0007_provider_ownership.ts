import { sql, type Kysely } from 'kysely';

/**
 * Provider accounts belong to whoever proves them (Twilio account check, VAPI org check).
 * `proven_at` records the proof; one proven registration per account unless a superadmin shares
 * it (`shared`), and shared and unshared registrations of one account never coexist. Rows from
 * before this migration carry no proof: they keep working (ingest only ever trusts the
 * registration whose own credential verified a request), and `callvault accounts check`
 * proves them or reports them (--detach removes what fails or is held twice).
 *
 * Events keep the companies whose own credential authenticated them, so a replay or a later
 * resolution looks among those companies only. Quarantined events may carry jobs (a tenant
 * lookup at the provider), relayed like an applied event's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS btree_gist;

    ALTER TABLE provider_accounts
      ADD COLUMN shared boolean NOT NULL DEFAULT false,
      ADD COLUMN proven_at timestamptz;
    CREATE UNIQUE INDEX provider_accounts_one_owner_idx ON provider_accounts (provider, external_id) WHERE NOT shared AND proven_at IS NOT NULL;
    ALTER TABLE provider_accounts ADD CONSTRAINT provider_accounts_sharing_consistent
      EXCLUDE USING gist (provider WITH =, external_id WITH =, shared WITH <>) WHERE (proven_at IS NOT NULL);

    ALTER TABLE webhook_events ADD COLUMN authenticated_company_ids uuid[] NOT NULL DEFAULT '{}';
    UPDATE webhook_events SET enqueued_at = received_at WHERE status = 'quarantined' AND enqueued_at IS NULL;
    DROP INDEX webhook_events_unrelayed_idx;
    CREATE INDEX webhook_events_unrelayed_idx ON webhook_events (received_at) WHERE status IN ('accepted', 'quarantined') AND enqueued_at IS NULL;

    -- What the platform operator did outside any one company (reading a quarantined event, say).
    CREATE TABLE platform_audit_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
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
    CREATE INDEX platform_audit_events_created_idx ON platform_audit_events (created_at DESC, id DESC);
    ALTER TABLE platform_audit_events ENABLE ROW LEVEL SECURITY;
    ALTER TABLE platform_audit_events FORCE ROW LEVEL SECURITY;
    CREATE POLICY platform_only ON platform_audit_events
      USING (coalesce(current_setting('callvault.platform', true), '') = 'on')
      WITH CHECK (coalesce(current_setting('callvault.platform', true), '') = 'on');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS platform_audit_events;
    DROP INDEX IF EXISTS webhook_events_unrelayed_idx;
    CREATE INDEX webhook_events_unrelayed_idx ON webhook_events (received_at) WHERE status = 'accepted' AND enqueued_at IS NULL;
    ALTER TABLE webhook_events DROP COLUMN IF EXISTS authenticated_company_ids;
    ALTER TABLE provider_accounts DROP CONSTRAINT IF EXISTS provider_accounts_sharing_consistent;
    DROP INDEX IF EXISTS provider_accounts_one_owner_idx;
    ALTER TABLE provider_accounts DROP COLUMN IF EXISTS shared, DROP COLUMN IF EXISTS proven_at;
  `.execute(db);
}
