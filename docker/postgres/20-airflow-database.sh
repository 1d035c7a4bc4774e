#!/usr/bin/env bash
# Run once by the postgres image on a new data folder, after the loader role: Airflow's metadata database and the
# role that owns it, on the same server as the warehouse but apart from it, so neither role can touch the other's
# tables.
set -euo pipefail
: "${AIRFLOW_DB_PASSWORD:?set AIRFLOW_DB_PASSWORD in .env}"
psql --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set role="$AIRFLOW_DB_USER" --set password="$AIRFLOW_DB_PASSWORD" --set db="$AIRFLOW_DB_NAME" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
