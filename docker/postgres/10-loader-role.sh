#!/usr/bin/env bash
# Run once by the postgres image on a new data folder: the role wiredesk loads with, which owns the warehouse
# schema it creates; the superuser in POSTGRES_USER stays for administration only.
set -euo pipefail
: "${LOADER_PASSWORD:?set LOADER_PASSWORD in .env}"
psql --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set loader="$LOADER_USER" --set password="$LOADER_PASSWORD" --set db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"loader" LOGIN PASSWORD :'password';
GRANT CONNECT, CREATE ON DATABASE :"db" TO :"loader";
SQL
