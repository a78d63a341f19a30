#!/bin/sh
# Roles of a callvault database, created by the postgres image on its first start
# (/docker-entrypoint-initdb.d, as the superuser; docker-compose.yml mounts this file):
#
#   callvault_owner  owns the database and the schema: the migrate job connects as it
#   callvault_app    no ownership, no BYPASSRLS: the services connect as it, so row-level security binds them
#
# Neither is a superuser. The migrations create their two extensions (pgcrypto, btree_gist), both
# trusted, as the database owner. Idempotent: to move an existing deployment whose tables belong to
# postgres, run it again by hand:
#   docker compose exec postgres sh /docker-entrypoint-initdb.d/10-callvault-roles.sh
set -eu

: "${POSTGRES_DB:=callvault}"
: "${DATABASE_OWNER_PASSWORD:?DATABASE_OWNER_PASSWORD is required}"
: "${DATABASE_APP_PASSWORD:?DATABASE_APP_PASSWORD is required}"

# The passwords travel as psql variables (:'name' quotes them), never spliced into SQL text.
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" -v owner_password="$DATABASE_OWNER_PASSWORD" -v app_password="$DATABASE_APP_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE callvault_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS'
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'callvault_owner') \gexec
SELECT 'CREATE ROLE callvault_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS'
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'callvault_app') \gexec
ALTER ROLE callvault_owner PASSWORD :'owner_password';
ALTER ROLE callvault_app PASSWORD :'app_password';

ALTER DATABASE :"db" OWNER TO callvault_owner;
ALTER SCHEMA public OWNER TO callvault_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO callvault_app;

-- An existing deployment migrated as postgres: hand its objects to the owner role.
SELECT format('ALTER TABLE public.%I OWNER TO callvault_owner', tablename) FROM pg_tables
  WHERE schemaname = 'public' AND tableowner <> 'callvault_owner' \gexec
SELECT format('ALTER SEQUENCE public.%I OWNER TO callvault_owner', sequencename) FROM pg_sequences
  WHERE schemaname = 'public' AND sequenceowner <> 'callvault_owner' \gexec
SELECT format('ALTER FUNCTION %s OWNER TO callvault_owner', p.oid::regprocedure) FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
  LEFT JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
  WHERE n.nspname = 'public' AND d.objid IS NULL AND pg_get_userbyid(p.proowner) <> 'callvault_owner' \gexec
SQL
echo "postgres-init: callvault_owner and callvault_app ready in $POSTGRES_DB"
