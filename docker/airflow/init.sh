#!/usr/bin/env bash
# airflow-init: run to completion before the other Airflow services start (and safe to run again): Airflow's
# metadata schema, the warehouse schema, the fetch pool the nightly DAG's fetch tasks queue in, and the login.
set -euo pipefail

# Without one shared secret each component would invent its own, and no task could reach the API server.
: "${AIRFLOW__API_AUTH__JWT_SECRET:?set AIRFLOW_JWT_SECRET in .env}"
: "${AIRFLOW_ADMIN_PASSWORD:?set AIRFLOW_ADMIN_PASSWORD in .env}"
# The database passwords have no defaults: a stack whose passwords anyone can read in docker-compose.yml is not run.
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
: "${LOADER_PASSWORD:?set LOADER_PASSWORD in .env}"
: "${AIRFLOW_DB_PASSWORD:?set AIRFLOW_DB_PASSWORD in .env}"

airflow db migrate
# As the loader role, which then owns the warehouse schema; tasks reach the same database through the
# `wiredesk_warehouse` connection.
wiredesk db upgrade
# How many sources are fetched at once across the whole stack (dags/wire_ingest.py runs fetch in this pool).
airflow pools set wiredesk_fetch "$FETCH_POOL_SLOTS" "wire_ingest: sources fetched at once"

# The simple auth manager keeps each user's password in a JSON file it only generates passwords into; writing
# AIRFLOW_ADMIN_PASSWORD there makes the login the one in .env instead of a random one printed in a log.
python - <<'PY'
import json
import os
from pathlib import Path

path = Path(os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"])
user = os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"].split(":", 1)[0]
path.parent.mkdir(parents=True, exist_ok=True)
scratch = path.with_suffix(".tmp")
scratch.write_text(json.dumps({user: os.environ["AIRFLOW_ADMIN_PASSWORD"]}) + "\n", encoding="utf-8")
scratch.chmod(0o600)
scratch.replace(path)
print(f"Airflow login: {user} (password AIRFLOW_ADMIN_PASSWORD from .env)")
PY
