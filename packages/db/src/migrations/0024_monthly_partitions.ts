import { sql, type Kysely } from 'kysely';
import { initPlanVisible } from './0021_policy_initplans';

/**
 * `webhook_events` (by `received_at`) and `audit_events` (by `created_at`) become tables
 * partitioned by calendar month (UTC), so their lifetimes end by dropping a month at once instead
 * of deleting rows one by one, and their indexes stay the size of the months kept.
 *
 * - Partitions are named `<table>_YYYY_MM`. This migration creates one for every month that holds
 *   rows and three ahead; `maintain_monthly_partitions` (the `maintain-partitions` task, hourly)
 *   keeps three months ahead and drops expired months. A `<table>_default` partition takes any row
 *   outside them (the task did not run for months, or a row dated far back), so an insert never
 *   fails for want of a partition; creating the month later moves such rows into it.
 * - Unique keys of a partitioned table must include the partition column. Ids are random UUIDs:
 *   the primary key becomes (id, month column). The idempotency key of a webhook event must stay
 *   unique on its own, across months: a BEFORE INSERT trigger takes a transaction lock on the key
 *   (pg_advisory_xact_lock on its 64-bit hash) and skips the row when the key is already stored in
 *   any month, so inserting a duplicate has no effect, as ON CONFLICT DO NOTHING did. Two
 *   deliveries of one key serialise on the lock; the second sees the first once it committed (a
 *   PL/pgSQL statement in READ COMMITTED takes a fresh snapshot), and a key repeated within one
 *   INSERT sees its earlier row (row triggers see the rows before them in the same statement).
 *   The check runs with every company's rows in view (the function sets platform scope for its
 *   own duration); the row itself is still checked against the caller's scope afterwards.
 * - The services' role is granted the parents only: a query names the parent, where row-level
 *   security applies; a partition read directly would bypass it (see grantAppRole).
 * - What may be dropped is decided here, not by the caller: audit months end after the longest
 *   retention of any company (companies with a shorter one keep pruning by row,
 *   prune_expired_audit_events), measured against the database's clock at the latest; webhook
 *   event months end after the retention the caller gives, never under 7 days, and a month
 *   holding an event whose effects are still to come, or a quarantined one, is kept and reported.
 */
const TABLES = [
  { table: 'webhook_events', column: 'received_at' },
  { table: 'audit_events', column: 'created_at' },
] as const;

const WEBHOOK_EVENT_INDEXES = sql`
  CREATE INDEX webhook_events_company_idx ON webhook_events (company_id, received_at DESC);
  CREATE INDEX webhook_events_call_ref_idx ON webhook_events (company_id, call_ref) WHERE call_ref IS NOT NULL;
  CREATE INDEX webhook_events_status_idx ON webhook_events (status, received_at DESC);
  CREATE INDEX webhook_events_unapplied_idx ON webhook_events (received_at, id) WHERE status = 'accepted' AND applied_at IS NULL;
  CREATE INDEX webhook_events_unredacted_idx ON webhook_events (applied_at) WHERE payload_redacted_at IS NULL AND applied_at IS NOT NULL;
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION callvault_month_column(parent regclass) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE parent::text WHEN 'webhook_events' THEN 'received_at' WHEN 'audit_events' THEN 'created_at' END
    $$;

    -- Creates the month partitions of parent from first_month (a UTC month start) through
    -- months_ahead months after the current one, moving rows of each new month out of the default
    -- partition. Returns how many it created. Harmless to call: it only adds missing months.
    CREATE FUNCTION callvault_create_month_partitions(parent regclass, first_month timestamp, months_ahead integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    DECLARE
      month_column text := callvault_month_column(parent);
      month timestamp := date_trunc('month', first_month);
      last_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => least(greatest(months_ahead, 0), 24));
      name text;
      low timestamptz;
      high timestamptz;
      created integer := 0;
    BEGIN
      IF month_column IS NULL THEN RAISE EXCEPTION '% is not partitioned by month', parent; END IF;
      WHILE month <= last_month LOOP
        name := format('%s_%s', parent::text, to_char(month, 'YYYY_MM'));
        low := month AT TIME ZONE 'UTC';
        high := (month + interval '1 month') AT TIME ZONE 'UTC';
        IF to_regclass(name) IS NULL THEN
          EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name, parent);
          EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', name);
          EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
            parent::text || '_default', month_column, low, month_column, high, name);
          EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, name, low, high);
          created := created + 1;
        END IF;
        month := month + interval '1 month';
      END LOOP;
      RETURN created;
    END $$;

    -- The month partitions of parent (not the default one) with the month each holds.
    CREATE FUNCTION callvault_month_partitions(parent regclass) RETURNS TABLE (name text, month_start timestamptz, month_end timestamptz)
    LANGUAGE sql STABLE SET search_path = public AS $$
      SELECT c.relname::text,
        to_date(right(c.relname, 7), 'YYYY_MM')::timestamp AT TIME ZONE 'UTC',
        (to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month') AT TIME ZONE 'UTC'
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = parent AND c.relname ~ '_[0-9]{4}_[0-9]{2}$'
      ORDER BY 2
    $$;
  `.execute(db);

  for (const { table, column } of TABLES) {
    const old = `${table}_unpartitioned`;
    await sql`
      ALTER TABLE ${sql.table(table)} RENAME TO ${sql.table(old)};
      ALTER INDEX ${sql.id(`${table}_pkey`)} RENAME TO ${sql.id(`${old}_pkey`)};
      CREATE TABLE ${sql.table(table)} (LIKE ${sql.table(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (${sql.ref(column)});
      ALTER TABLE ${sql.table(table)} ADD PRIMARY KEY (id, ${sql.ref(column)});
      CREATE TABLE ${sql.table(`${table}_default`)} PARTITION OF ${sql.table(table)} DEFAULT;
      REVOKE ALL ON ${sql.table(`${table}_default`)} FROM PUBLIC;
    `.execute(db);
    const oldest = await sql<{ first: Date | null }>`SELECT min(${sql.ref(column)}) AS first FROM ${sql.table(old)}`.execute(db);
    await sql`SELECT callvault_create_month_partitions(${table}::regclass, (coalesce(${oldest.rows[0]?.first ?? null}::timestamptz, now()) AT TIME ZONE 'UTC'), 3)`.execute(
      db,
    );
    await sql`INSERT INTO ${sql.table(table)} SELECT * FROM ${sql.table(old)}`.execute(db);
    await sql`DROP TABLE ${sql.table(old)}`.execute(db);
    const visible = initPlanVisible('company_id');
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY company_isolation ON ${sql.table(table)} USING (${visible}) WITH CHECK (${visible});
    `.execute(db);
  }

  await sql`
    ALTER TABLE webhook_events ADD FOREIGN KEY (company_id) REFERENCES companies(id) ON DELETE SET NULL;
    ALTER TABLE audit_events ADD FOREIGN KEY (company_id) REFERENCES companies(id) ON DELETE CASCADE;
    CREATE INDEX audit_events_company_idx ON audit_events (company_id, created_at DESC, id DESC);
    CREATE INDEX webhook_events_idempotency_key_idx ON webhook_events (idempotency_key);
  `.execute(db);
  await WEBHOOK_EVENT_INDEXES.execute(db);

  await sql`
    CREATE FUNCTION webhook_events_unique_key() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public SET callvault.platform = 'on' AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('webhook_events:' || NEW.idempotency_key, 0));
      IF EXISTS (SELECT 1 FROM webhook_events WHERE idempotency_key = NEW.idempotency_key AND id <> NEW.id) THEN
        RETURN NULL;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER webhook_events_unique_key BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION webhook_events_unique_key();

    -- The hourly maintenance: months ahead for both tables, and the drops the rules in this
    -- migration's comment allow, decided with every company's rows in view.
    CREATE FUNCTION maintain_monthly_partitions(as_of timestamptz, webhook_event_retention_days integer)
    RETURNS TABLE (partition_name text, outcome text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET callvault.platform = 'on' AS $$
    DECLARE
      clock timestamptz := least(as_of, now());
      audit_cutoff timestamptz := clock - make_interval(days => (SELECT coalesce(max(audit_retention_days), 36500) FROM companies));
      event_cutoff timestamptz := clock - make_interval(days => greatest(webhook_event_retention_days, 7));
      held boolean;
      part record;
    BEGIN
      FOR part IN SELECT * FROM callvault_month_partitions('audit_events') WHERE month_end <= audit_cutoff LOOP
        EXECUTE format('DROP TABLE %I', part.name);
        partition_name := part.name; outcome := 'dropped'; RETURN NEXT;
      END LOOP;
      FOR part IN SELECT * FROM callvault_month_partitions('webhook_events') WHERE month_end <= event_cutoff LOOP
        EXECUTE format($q$SELECT EXISTS (SELECT 1 FROM %I WHERE (status = 'accepted' AND applied_at IS NULL) OR status = 'quarantined')$q$, part.name) INTO held;
        IF held THEN
          partition_name := part.name; outcome := 'held: events still to apply or quarantined'; RETURN NEXT;
        ELSE
          EXECUTE format('DROP TABLE %I', part.name);
          partition_name := part.name; outcome := 'dropped'; RETURN NEXT;
        END IF;
      END LOOP;
      DELETE FROM webhook_events_default WHERE received_at < event_cutoff AND status <> 'quarantined' AND NOT (status = 'accepted' AND applied_at IS NULL);
      FOR partition_name IN SELECT unnest(ARRAY['webhook_events', 'audit_events']) LOOP
        IF callvault_create_month_partitions(partition_name::regclass, now() AT TIME ZONE 'UTC', 3) > 0 THEN
          outcome := 'created ahead'; RETURN NEXT;
        END IF;
      END LOOP;
    END $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP FUNCTION IF EXISTS maintain_monthly_partitions(timestamptz, integer);
    DROP TRIGGER IF EXISTS webhook_events_unique_key ON webhook_events;
    DROP FUNCTION IF EXISTS webhook_events_unique_key();
  `.execute(db);
  for (const { table } of TABLES) {
    const partitioned = `${table}_partitioned`;
    await sql`
      ALTER TABLE ${sql.table(table)} RENAME TO ${sql.table(partitioned)};
      CREATE TABLE ${sql.table(table)} (LIKE ${sql.table(partitioned)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
      INSERT INTO ${sql.table(table)} SELECT * FROM ${sql.table(partitioned)};
      DROP TABLE ${sql.table(partitioned)} CASCADE;
      ALTER TABLE ${sql.table(table)} ADD PRIMARY KEY (id);
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY company_isolation ON ${sql.table(table)} USING (${initPlanVisible('company_id')}) WITH CHECK (${initPlanVisible('company_id')});
    `.execute(db);
  }
  await sql`
    ALTER TABLE webhook_events ADD UNIQUE (idempotency_key);
    ALTER TABLE webhook_events ADD FOREIGN KEY (company_id) REFERENCES companies(id) ON DELETE SET NULL;
    ALTER TABLE audit_events ADD FOREIGN KEY (company_id) REFERENCES companies(id) ON DELETE CASCADE;
    CREATE INDEX audit_events_company_idx ON audit_events (company_id, created_at DESC, id DESC);
    DROP FUNCTION IF EXISTS callvault_month_partitions(regclass);
    DROP FUNCTION IF EXISTS callvault_create_month_partitions(regclass, timestamp, integer);
    DROP FUNCTION IF EXISTS callvault_month_column(regclass);
  `.execute(db);
  await WEBHOOK_EVENT_INDEXES.execute(db);
}
