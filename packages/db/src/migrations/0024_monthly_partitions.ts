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
 *   Intake stores in platform scope, so the check sees every company's keys.
 * - The services' role is granted the parents only: a query names the parent, where row-level
 *   security applies; a partition read directly would bypass it (see grantAppRole).
 * - What may be dropped is decided here, not by the caller: audit months end after the longest
 *   retention of any company (companies with a shorter one keep pruning by row,
 *   prune_expired_audit_events), measured against the database's clock at the latest; webhook
 *   event months end after the retention the caller gives, never under 7 days; events of such a
 *   month whose effects are still to come, and quarantined ones, move to the default partition
 *   first, so they outlive their month.
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

/**
 * Every function here runs with `search_path = public, pg_temp` (a temporary table of the caller
 * can never stand in for ours: pg_temp is searched last, and dynamic names are qualified), in UTC
 * (month bounds never depend on the caller's TimeZone or DateStyle), and the DDL ones with a short
 * lock_timeout: DROP and ATTACH wait for every open reader of the table, and every webhook insert
 * would queue behind them; a month that cannot be locked at once is left for the next run.
 */
const SAFE = sql.raw(`SET search_path = public, pg_temp SET TimeZone = 'UTC'`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION callvault_month_column(parent text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE parent WHEN 'webhook_events' THEN 'received_at' WHEN 'audit_events' THEN 'created_at' END
    $$;

    -- Creates the month partitions of parent from first_month (a UTC month start) through
    -- months_ahead months after the current one, moving rows of each new month out of the default
    -- partition. Returns how many it created. For the owner only (grantAppRole revokes it from the
    -- services' role): the maintenance below calls it for the months ahead.
    CREATE FUNCTION callvault_create_month_partitions(parent text, first_month timestamp, months_ahead integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER ${SAFE} SET lock_timeout = '500ms' AS $$
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
        name := format('%s_%s', parent, to_char(month, 'YYYY_MM'));
        low := month AT TIME ZONE 'UTC';
        high := (month + interval '1 month') AT TIME ZONE 'UTC';
        IF to_regclass(format('public.%I', name)) IS NULL THEN
          EXECUTE format('CREATE TABLE public.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name, parent);
          EXECUTE format('REVOKE ALL ON public.%I FROM PUBLIC', name);
          EXECUTE format('WITH moved AS (DELETE FROM public.%I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO public.%I SELECT * FROM moved',
            parent || '_default', month_column, low, month_column, high, name);
          EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)', parent, name, low, high);
          created := created + 1;
        END IF;
        month := month + interval '1 month';
      END LOOP;
      RETURN created;
    END $$;

    -- The month partitions of parent (not the default one) with the month each holds.
    CREATE FUNCTION callvault_month_partitions(parent text) RETURNS TABLE (name text, month_start timestamptz, month_end timestamptz)
    LANGUAGE sql STABLE ${SAFE} AS $$
      SELECT c.relname::text,
        to_date(right(c.relname, 7), 'YYYY_MM')::timestamp AT TIME ZONE 'UTC',
        (to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month') AT TIME ZONE 'UTC'
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = format('public.%I', parent)::regclass AND c.relname ~ '_[0-9]{4}_[0-9]{2}$'
      ORDER BY 2
    $$;

    -- Found by 0013 without a search_path of its own: the same protection.
    ALTER FUNCTION prune_expired_audit_events(timestamptz, integer) SET search_path = public, pg_temp;
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
    await sql`SELECT callvault_create_month_partitions(${table}, (coalesce(${oldest.rows[0]?.first ?? null}::timestamptz, now()) AT TIME ZONE 'UTC'), 3)`.execute(
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
    -- Under REPEATABLE READ or SERIALIZABLE the check below could not see a key another
    -- transaction stored after this one began: refuse rather than store a duplicate. Names are
    -- qualified instead of set per call (a SET clause costs every inserted row), so a temporary
    -- table cannot stand in for webhook_events. The check sees what the caller sees: intake
    -- stores in platform scope, every company's keys; a company transaction, only its own.
    CREATE FUNCTION webhook_events_unique_key() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'webhook events are stored in READ COMMITTED transactions (the idempotency check needs it), not %', current_setting('transaction_isolation');
      END IF;
      PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('webhook_events:' || NEW.idempotency_key, 0));
      IF EXISTS (SELECT 1 FROM public.webhook_events WHERE idempotency_key = NEW.idempotency_key AND id <> NEW.id) THEN
        RETURN NULL;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER webhook_events_unique_key BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION webhook_events_unique_key();

    -- The hourly maintenance: months ahead for both tables, and the drops the rules in this
    -- migration's comment allow, decided with every company's rows in view. One run at a time; a
    -- month whose lock is not granted within lock_timeout is reported deferred, not waited for.
    -- A webhook-event month past its retention that still holds events to apply or quarantined
    -- ones goes too, once those rows are moved to the default partition (detached first, so they
    -- can land there): one such event must not keep a whole month for ever.
    CREATE FUNCTION maintain_monthly_partitions(as_of timestamptz, webhook_event_retention_days integer)
    RETURNS TABLE (partition_name text, outcome text)
    LANGUAGE plpgsql SECURITY DEFINER ${SAFE} SET callvault.platform = 'on' SET lock_timeout = '500ms' AS $$
    DECLARE
      clock timestamptz := least(as_of, now());
      audit_cutoff timestamptz := clock - make_interval(days => (SELECT coalesce(max(audit_retention_days), 36500) FROM public.companies));
      event_cutoff timestamptz := clock - make_interval(days => greatest(webhook_event_retention_days, 7));
      still_needed constant text := $q$(status = 'accepted' AND applied_at IS NULL) OR status = 'quarantined'$q$;
      kept integer;
      part record;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('maintain_monthly_partitions', 0));
      FOR part IN SELECT * FROM callvault_month_partitions('audit_events') WHERE month_end <= audit_cutoff LOOP
        partition_name := part.name;
        BEGIN
          EXECUTE format('DROP TABLE public.%I', part.name);
          outcome := 'dropped';
        EXCEPTION WHEN lock_not_available THEN
          outcome := 'deferred: the table is in use';
        END;
        RETURN NEXT;
      END LOOP;
      FOR part IN SELECT * FROM callvault_month_partitions('webhook_events') WHERE month_end <= event_cutoff LOOP
        partition_name := part.name;
        BEGIN
          EXECUTE format('ALTER TABLE public.webhook_events DETACH PARTITION public.%I', part.name);
          EXECUTE format('INSERT INTO public.webhook_events SELECT * FROM public.%I WHERE %s', part.name, still_needed);
          GET DIAGNOSTICS kept = ROW_COUNT;
          EXECUTE format('DROP TABLE public.%I', part.name);
          outcome := CASE WHEN kept = 0 THEN 'dropped' ELSE format('dropped; %s events still to apply or quarantined moved to the default partition', kept) END;
        EXCEPTION WHEN lock_not_available THEN
          outcome := 'deferred: the table is in use';
        END;
        RETURN NEXT;
      END LOOP;
      EXECUTE format('DELETE FROM public.webhook_events_default WHERE received_at < %L AND NOT (%s)', event_cutoff, still_needed);
      FOR partition_name IN SELECT unnest(ARRAY['webhook_events', 'audit_events']) LOOP
        BEGIN
          IF callvault_create_month_partitions(partition_name, now() AT TIME ZONE 'UTC', 3) > 0 THEN
            outcome := 'created ahead'; RETURN NEXT;
          END IF;
        EXCEPTION WHEN lock_not_available THEN
          outcome := 'deferred: the table is in use'; RETURN NEXT;
        END;
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
    DROP FUNCTION IF EXISTS callvault_month_partitions(text);
    DROP FUNCTION IF EXISTS callvault_create_month_partitions(text, timestamp, integer);
    DROP FUNCTION IF EXISTS callvault_month_column(text);
    ALTER FUNCTION prune_expired_audit_events(timestamptz, integer) RESET search_path;
  `.execute(db);
  await WEBHOOK_EVENT_INDEXES.execute(db);
}
