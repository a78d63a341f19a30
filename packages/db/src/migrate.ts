import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as initialSchema from './migrations/0001_initial_schema';
import * as dailyRollups from './migrations/0002_daily_rollups';
import * as listIndexes from './migrations/0003_list_indexes';
import * as fetchRequested from './migrations/0004_fetch_requested';
import * as statementRollupMarks from './migrations/0005_statement_rollup_marks';
import * as deferredEffects from './migrations/0006_deferred_effects';
import * as providerOwnership from './migrations/0007_provider_ownership';
import * as eventLoopAndOutbox from './migrations/0008_event_loop_and_outbox';
import * as apiKeys from './migrations/0009_api_keys';
import * as outboundWebhooks from './migrations/0010_outbound_webhooks';
import * as changeFeed from './migrations/0011_change_feed';
import * as idempotencyKeys from './migrations/0012_idempotency_keys';
import * as erasureAndLifetimes from './migrations/0013_erasure_and_lifetimes';
import * as callIntelligence from './migrations/0017_call_intelligence';
import * as redactionPatterns from './migrations/0018_redaction_patterns';
import * as searchScopeIndex from './migrations/0019_search_scope_index';
import * as speechToTextChoice from './migrations/0020_speech_to_text_choice';
import * as policyInitPlans from './migrations/0021_policy_initplans';
import * as analysisInSearch from './migrations/0022_analysis_in_search';
import * as monthlyPartitions from './migrations/0024_monthly_partitions';
import * as traceContext from './migrations/0025_trace_context';
import * as companySearchIndex from './migrations/0026_company_search_index';

/** Migrations are imported, not read from a folder, so they work the same under tsx, vitest and a bundle. */
const migrations: Record<string, Migration> = {
  '0001_initial_schema': initialSchema,
  '0002_daily_rollups': dailyRollups,
  '0003_list_indexes': listIndexes,
  '0004_fetch_requested': fetchRequested,
  '0005_statement_rollup_marks': statementRollupMarks,
  '0006_deferred_effects': deferredEffects,
  '0007_provider_ownership': providerOwnership,
  '0008_event_loop_and_outbox': eventLoopAndOutbox,
  '0009_api_keys': apiKeys,
  '0010_outbound_webhooks': outboundWebhooks,
  '0011_change_feed': changeFeed,
  '0012_idempotency_keys': idempotencyKeys,
  '0013_erasure_and_lifetimes': erasureAndLifetimes,
  '0017_call_intelligence': callIntelligence,
  '0018_redaction_patterns': redactionPatterns,
  '0019_search_scope_index': searchScopeIndex,
  '0020_speech_to_text_choice': speechToTextChoice,
  '0021_policy_initplans': policyInitPlans,
  '0022_analysis_in_search': analysisInSearch,
  '0024_monthly_partitions': monthlyPartitions,
  '0025_trace_context': traceContext,
  '0026_company_search_index': companySearchIndex,
};

export const APP_ROLE = 'callvault_app';

function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) throw result.error;
  return (result.results ?? []).map((entry) => `${entry.direction} ${entry.migrationName}: ${entry.status}`);
}

export async function migrateToLatest(db: Kysely<unknown>, appRolePassword?: string): Promise<string[]> {
  const applied = unwrap(await migrator(db).migrateToLatest());
  await grantAppRole(db, appRolePassword);
  return applied;
}

export async function migrateDown(db: Kysely<unknown>): Promise<string[]> {
  return unwrap(await migrator(db).migrateDown());
}

/**
 * The services' role: it may read and write rows but owns nothing, so forced RLS binds it,
 * and it cannot alter or delete audit events (append-only by grant, not by convention), nor read
 * a partition directly.
 */
export async function grantAppRole(db: Kysely<unknown>, password?: string): Promise<void> {
  const exists = await sql<{ exists: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${APP_ROLE}) AS exists`.execute(db);
  if (!exists.rows[0]?.exists) {
    await sql`CREATE ROLE ${sql.id(APP_ROLE)} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`.execute(db);
  }
  if (password) await sql`ALTER ROLE ${sql.id(APP_ROLE)} PASSWORD ${sql.lit(password)}`.execute(db);
  await sql`
    GRANT USAGE ON SCHEMA public TO ${sql.id(APP_ROLE)};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${sql.id(APP_ROLE)};
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, platform_audit_events FROM ${sql.id(APP_ROLE)};
    REVOKE ALL ON kysely_migration, kysely_migration_lock FROM ${sql.id(APP_ROLE)};
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${sql.id(APP_ROLE)};
    REVOKE EXECUTE ON FUNCTION callvault_create_month_partitions(text, timestamp, integer) FROM PUBLIC, ${sql.id(APP_ROLE)};
    REVOKE EXECUTE ON FUNCTION callvault_sync_transcript_search(), callvault_forget_deleted_recording_search() FROM PUBLIC, ${sql.id(APP_ROLE)};
    -- Read only through callvault_company_search, which answers for the caller's company alone (0026).
    REVOKE ALL ON transcript_search FROM ${sql.id(APP_ROLE)};
  `.execute(db);
  // No temporary tables: the services need none, and a temporary table is how a caller would
  // try to stand in for one of ours inside a SECURITY DEFINER function (they all search pg_temp
  // last; this is the second lock).
  await sql`
    DO $temp$ BEGIN
      EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC, %I', current_database(), ${sql.lit(APP_ROLE)});
    END $temp$;
  `.execute(db);
  // Partitions are reached through their parent, where row-level security applies; the policy is
  // the parent's only, so a partition named directly would show every company's rows.
  await sql`
    DO $revoke$ DECLARE part regclass; BEGIN
      FOR part IN SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relispartition AND c.relkind IN ('r', 'p') LOOP
        EXECUTE format('REVOKE ALL ON %s FROM %I', part, ${sql.lit(APP_ROLE)});
      END LOOP;
    END $revoke$;
  `.execute(db);
  // The change feed holds back rows younger than the oldest open transaction; with this role the
  // services also see the transactions of other roles (migrations, a psql session). Granting it
  // needs a superuser; without it the feed still sees every transaction of the services' role.
  await sql`
    DO $grant$ BEGIN
      GRANT pg_read_all_stats TO ${sql.id(APP_ROLE)};
    EXCEPTION WHEN insufficient_privilege THEN NULL;
    END $grant$;
  `.execute(db);
}
