"""The scripts the stack runs once (docker/postgres/, docker/airflow/init.sh), run here on the real Postgres."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from pipeline.load import db
from tests.compose import ROOT, filled_env, interpolated, service_environment

ADMIN = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"]


def _psql(sql: str) -> str:
    return subprocess.run([*ADMIN, sql, "-At"], check=True, capture_output=True, text=True).stdout.strip()


def test_the_loader_role_script_runs_on_a_real_postgres() -> None:
    # The image runs it with psql against POSTGRES_DB; here the same psql runs it against a scratch database.
    database, role = f"wiredesk_compose_{uuid.uuid4().hex[:8]}", f"loader_{uuid.uuid4().hex[:8]}"
    subprocess.run([*ADMIN, f'CREATE DATABASE "{database}"'], check=True)
    env = os.environ | {
        "POSTGRES_USER": "postgres", "POSTGRES_DB": database, "LOADER_USER": role, "LOADER_PASSWORD": "secret",
        "PGHOST": "127.0.0.1",
    }  # fmt: skip
    try:
        subprocess.run(["bash", str(ROOT / "docker" / "postgres" / "10-loader-role.sh")], check=True, env=env)
        assert _psql(f"SELECT has_database_privilege('{role}', '{database}', 'CREATE')") == "t"
    finally:
        subprocess.run([*ADMIN, f'DROP DATABASE "{database}"'], check=True)
        subprocess.run([*ADMIN, f'DROP ROLE IF EXISTS "{role}"'], check=True)


@pytest.mark.parametrize(
    ("script", "unset"), [("10-loader-role.sh", "LOADER_PASSWORD"), ("20-airflow-database.sh", "AIRFLOW_DB_PASSWORD")]
)
def test_the_server_scripts_refuse_an_empty_password(script: str, unset: str) -> None:
    env = filled_env() | {unset: ""}
    postgres = {name: interpolated(value, env) for name, value in service_environment("postgres").items()}
    # Nowhere to connect to (no PGHOST): the script must stop, naming the variable, before psql would fail.
    result = subprocess.run(
        ["bash", str(ROOT / "docker" / "postgres" / script)],
        env=postgres | {"PATH": "/usr/bin:/bin", "PGHOST": "/nonexistent"}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0 and f"set {unset} in .env" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("unset", "message"),
    [
        ("AIRFLOW_JWT_SECRET", "set AIRFLOW_JWT_SECRET"),
        ("AIRFLOW_ADMIN_PASSWORD", "set AIRFLOW_ADMIN_PASSWORD"),
        ("POSTGRES_PASSWORD", "set POSTGRES_PASSWORD"),
        ("LOADER_PASSWORD", "set LOADER_PASSWORD"),
        ("AIRFLOW_DB_PASSWORD", "set AIRFLOW_DB_PASSWORD"),
    ],
)
def test_airflow_init_stops_the_stack_without_its_secrets(unset: str, message: str, tmp_path: Path) -> None:
    env = filled_env() | {unset: ""}
    init = {name: interpolated(value, env) for name, value in service_environment("airflow-init").items()}
    # No `airflow` on PATH: the script must stop before running anything.
    result = subprocess.run(
        ["bash", str(ROOT / "docker" / "airflow" / "init.sh")],
        env=init | {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0 and message in result.stderr, result.stderr


@pytest.fixture
def stack_env() -> Iterator[dict[str, str]]:
    """.env.example with names of its own, after docker/postgres/ created the server's roles and databases."""
    suffix = uuid.uuid4().hex[:8]
    env = filled_env() | {
        "POSTGRES_USER": "postgres", "POSTGRES_DB": f"wiredesk_compose_{suffix}",
        "LOADER_USER": f"loader_{suffix}", "LOADER_PASSWORD": "loader-secret",
        "AIRFLOW_DB_USER": f"airflow_{suffix}", "AIRFLOW_DB_PASSWORD": "airflow-secret",
        "AIRFLOW_DB_NAME": f"airflow_compose_{suffix}", "FETCH_POOL_SLOTS": "7",
    }  # fmt: skip
    postgres = {name: interpolated(value, env) for name, value in service_environment("postgres").items()}
    subprocess.run([*ADMIN, f'CREATE DATABASE "{env["POSTGRES_DB"]}"'], check=True)
    try:
        for script in sorted((ROOT / "docker" / "postgres").glob("*.sh")):
            subprocess.run(["bash", str(script)], check=True, env=os.environ | postgres | {"PGHOST": "127.0.0.1"})
        yield env
    finally:
        for database in (env["POSTGRES_DB"], env["AIRFLOW_DB_NAME"]):
            subprocess.run([*ADMIN, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], check=True)
        for role in (env["LOADER_USER"], env["AIRFLOW_DB_USER"]):
            subprocess.run([*ADMIN, f'DROP ROLE IF EXISTS "{role}"'], check=True)


def _on_this_machine(value: str, tmp_path: Path) -> str:
    # The containers reach the server as postgres:5432 and keep the login under /opt/wiredesk/auth.
    return value.replace("@postgres:5432/", "@127.0.0.1:5432/").replace("/opt/wiredesk/auth", str(tmp_path))


def test_airflow_init_prepares_both_databases_the_pool_and_the_login(stack_env: dict[str, str], tmp_path: Path) -> None:
    init = {name: _on_this_machine(interpolated(value, stack_env), tmp_path)
            for name, value in service_environment("airflow-init").items()}  # fmt: skip
    clean = {name: value for name, value in os.environ.items() if not name.startswith(("AIRFLOW", "WIREDESK"))}
    # The image's Airflow has asyncpg (its postgres provider's) for the async engine; the dev lock has not, and the
    # commands init.sh runs use the sync engine only.
    scratch = {"AIRFLOW_HOME": str(tmp_path), "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": "sqlite+aiosqlite://",
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}  # fmt: skip
    result = subprocess.run(
        ["bash", str(ROOT / "docker" / "airflow" / "init.sh")],
        env=clean | init | scratch, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]

    warehouse = db.create_engine(make_url(init["WIREDESK_DATABASE_URL"]))
    try:
        assert db.pending_migrations(warehouse) == []
    finally:
        warehouse.dispose()
    metadata = sa.create_engine(init["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    try:
        with metadata.connect() as connection:
            slots = sa.text("SELECT slots FROM slot_pool WHERE pool = :pool")
            assert connection.execute(slots, {"pool": _fetch_pool()}).scalar_one() == 7
    finally:
        metadata.dispose()
    passwords = json.loads(Path(init["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]).read_text(encoding="utf-8"))
    assert passwords == {stack_env["AIRFLOW_ADMIN_USER"]: stack_env["AIRFLOW_ADMIN_PASSWORD"]}
    assert "admin-password-for-tests" not in result.stdout + result.stderr


def test_the_loader_cannot_connect_to_airflows_database(stack_env: dict[str, str]) -> None:
    with pytest.raises(psycopg2.OperationalError, match="permission denied"):
        psycopg2.connect(
            host="127.0.0.1", dbname=stack_env["AIRFLOW_DB_NAME"], user=stack_env["LOADER_USER"], connect_timeout=5
        )
    owner = _psql(f"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{stack_env['AIRFLOW_DB_NAME']}'")
    assert owner == stack_env["AIRFLOW_DB_USER"]


def _fetch_pool() -> str:
    """The pool dags/wire_ingest.py runs its fetch tasks in (FETCH_POOL), read without importing Airflow."""
    tree = ast.parse((ROOT / "dags" / "wire_ingest.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(target, "id", None) for target in node.targets] == ["FETCH_POOL"]:
            assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            return node.value.value
    raise AssertionError("dags/wire_ingest.py defines no FETCH_POOL")
