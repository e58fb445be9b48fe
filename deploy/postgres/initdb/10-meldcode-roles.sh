#!/bin/sh
# Runs once, when the database container starts on an empty volume
# (/docker-entrypoint-initdb.d). Two roles besides the superuser:
#   meldcode_owner  owns the database and its tables; `migrate` connects as it;
#   meldcode_app    the web app: reads and writes rows, nothing else (20-*.sql).
# Neither is a superuser, so neither can switch the append-only triggers off by
# session_replication_role; only the owner can ALTER its tables.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v dbname="$POSTGRES_DB" \
     -v owner_password="$MELDCODE_OWNER_PASSWORD" \
     -v app_password="$MELDCODE_APP_PASSWORD" <<'SQL'
CREATE ROLE meldcode_owner LOGIN PASSWORD :'owner_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE meldcode_app LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER DATABASE :"dbname" OWNER TO meldcode_owner;
ALTER SCHEMA public OWNER TO meldcode_owner;
SQL
