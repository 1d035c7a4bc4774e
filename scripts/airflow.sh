#!/usr/bin/env bash
# Run Airflow 3 locally with wiredesk's DAGs: `scripts/airflow.sh start` (what `make airflow` runs) and
# `scripts/airflow.sh stop` (`make airflow-stop`).
#
# The api-server, scheduler, dag-processor and triggerer (which runs the deadline alerts) run in one process group,
# so stopping it stops every worker too. Metadata lives in $AIRFLOW_HOME (default .airflow/, SQLite unless
# AIRFLOW__DATABASE__SQL_ALCHEMY_CONN is set); the warehouse is WIREDESK_DATABASE_URL, else the embedded Postgres,
# passed to the DAGs as the connection wiredesk_warehouse. Everything listens on 127.0.0.1 only: the UI on
# $AIRFLOW_PORT (default 8080); the log servers are not started (the UI reads the task logs from $AIRFLOW_HOME/logs).
# LocalExecutor runs as many tasks at once as the machine has cores (AIRFLOW__CORE__PARALLELISM overrides it).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-.venv/bin}"
export AIRFLOW_HOME="${AIRFLOW_HOME:-$PWD/.airflow}"
AIRFLOW_PORT="${AIRFLOW_PORT:-8080}"
PIDFILE="$AIRFLOW_HOME/airflow.pgid"
LOG="$AIRFLOW_HOME/airflow.log"
URL="http://127.0.0.1:$AIRFLOW_PORT"

stop() {
    if [[ -f "$PIDFILE" ]]; then
        local group
        group="$(cat "$PIDFILE")"
        kill -TERM -- "-$group" 2>/dev/null || true
        for _ in $(seq 30); do kill -0 -- "-$group" 2>/dev/null || break; sleep 1; done
        kill -KILL -- "-$group" 2>/dev/null || true
        rm -f "$PIDFILE"
        echo "Airflow stopped (process group $group)."
    else
        echo "Airflow is not running (no $PIDFILE)."
    fi
}

start() {
    if [[ -f "$PIDFILE" ]] && kill -0 -- "-$(cat "$PIDFILE")" 2>/dev/null; then
        echo "Airflow is already running at $URL (make airflow-stop stops it)."
        exit 0
    fi
    mkdir -p "$AIRFLOW_HOME"
    # 64 random bytes: the tokens are signed with HS512, whose key must be 64 bytes at least. A shorter secret left
    # by an older version of this script is replaced.
    if [[ ! -f "$AIRFLOW_HOME/jwt_secret" ]] || (( $(wc -c < "$AIRFLOW_HOME/jwt_secret") < 65 )); then
        (umask 077 && "$BIN/python" -c "import secrets; print(secrets.token_urlsafe(64))" > "$AIRFLOW_HOME/jwt_secret")
    fi

    export AIRFLOW__CORE__DAGS_FOLDER="$PWD/dags"
    export AIRFLOW__CORE__LOAD_EXAMPLES=False
    # What each task read and wrote, for OpenLineage (pipeline/lineage.py): sent only when a transport is set,
    # e.g. AIRFLOW__OPENLINEAGE__TRANSPORT='{"type": "http", "url": "http://127.0.0.1:5000"}'.
    export AIRFLOW__OPENLINEAGE__EXTRACTORS="${AIRFLOW__OPENLINEAGE__EXTRACTORS:-pipeline.lineage.WiredeskExtractor}"
    export AIRFLOW__CORE__EXECUTOR=LocalExecutor
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="${AIRFLOW_USER:-admin}:admin"
    export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="$URL/execution/"
    export AIRFLOW__API__HOST=127.0.0.1
    export AIRFLOW__API__PORT="$AIRFLOW_PORT"
    export AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_HOST=127.0.0.1
    # Not one worker process per slot of Airflow's default 32 on a laptop's few cores.
    export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-$(nproc)}"
    export AIRFLOW__API_AUTH__JWT_SECRET="$(cat "$AIRFLOW_HOME/jwt_secret")"
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-sqlite:///$AIRFLOW_HOME/airflow.db}"

    echo "warehouse: upgrading its schema"
    "$BIN/wiredesk" db upgrade
    AIRFLOW_CONN_WIREDESK_WAREHOUSE="$("$BIN/wiredesk" db url --airflow)"
    export AIRFLOW_CONN_WIREDESK_WAREHOUSE

    echo "airflow: migrating the metadata database in $AIRFLOW_HOME"
    "$BIN/airflow" db migrate > "$AIRFLOW_HOME/migrate.log" 2>&1 || { tail -20 "$AIRFLOW_HOME/migrate.log"; exit 1; }
    "$BIN/airflow" pools set wiredesk_fetch 4 "wiredesk: fetch tasks running at once" > /dev/null

    setsid bash -c "
        '$BIN/airflow' api-server &
        '$BIN/airflow' scheduler --skip-serve-logs &
        '$BIN/airflow' dag-processor &
        '$BIN/airflow' triggerer --skip-serve-logs &
        wait" > "$LOG" 2>&1 < /dev/null &
    echo $! > "$PIDFILE"

    echo -n "airflow: starting (log: $LOG) "
    for _ in $(seq 180); do
        if curl -fsS "$URL/api/v2/monitor/health" > /dev/null 2>&1; then
            echo
            local passwords="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"
            echo "Airflow is up: $URL"
            echo "login: ${AIRFLOW_USER:-admin} / password in $passwords: $(cat "$passwords")"
            echo "DAGs start paused: unpause wire_ingest in the UI or with: airflow dags unpause wire_ingest"
            return 0
        fi
        if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
            echo; echo "Airflow exited; the end of its log:"; tail -30 "$LOG"; rm -f "$PIDFILE"; exit 1
        fi
        echo -n "."
        sleep 1
    done
    echo; echo "Airflow did not answer at $URL within 180 s; see $LOG"; stop; exit 1
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
