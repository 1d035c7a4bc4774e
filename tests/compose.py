"""Read docker-compose.yml and .env.example the way Docker Compose does, for the tests of the stack."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
# What a user must add to .env before `docker compose up` (.env.example leaves them empty on purpose).
REQUIRED_SECRETS = {
    "POSTGRES_PASSWORD": "postgres-password-for-tests",
    "LOADER_PASSWORD": "loader-password-for-tests",
    "AIRFLOW_DB_PASSWORD": "airflow-db-password-for-tests",
    "AIRFLOW_ADMIN_PASSWORD": "admin-password-for-tests",
    "AIRFLOW_JWT_SECRET": "jwt-secret-for-tests",
}

_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def compose() -> dict[str, Any]:
    """docker-compose.yml, with its `<<: *anchor` merges expanded."""
    document = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def env_example() -> dict[str, str]:
    """The variables .env.example sets, quotes removed as Compose removes them."""
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {name: re.sub(r'^"(.*)"$', r"\1", value) for name, value in pairs}


def filled_env() -> dict[str, str]:
    """.env.example with the secrets a user must choose filled in, its values' `${VAR}` replaced by the values
    above them, as Compose (and the shell loading .env) does."""
    return resolved(env_example() | REQUIRED_SECRETS)


def resolved(env: Mapping[str, str]) -> dict[str, str]:
    """`env`'s values with `${VAR}` replaced by the variables defined before them, in order."""
    values: dict[str, str] = {}
    for name, value in env.items():
        values[name] = interpolated(value, values)
    return values


def interpolated(value: str, env: Mapping[str, str] | None = None) -> str:
    """`value` with `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}` and `$$` replaced as Compose does."""
    variables = filled_env() if env is None else env

    def replace(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if name is None:
            return "$"
        value = variables.get(name)
        empty = value is None or (value == "" and operator is not None and operator.startswith(":"))
        if operator is None or not empty:
            return value or ""
        if operator.endswith("?"):
            raise KeyError(f"{name}: {argument}")
        return argument

    return _VARIABLE.sub(replace, value)


def service_environment(service: str) -> dict[str, str]:
    """The environment block of `service`, not interpolated."""
    environment = compose()["services"][service]["environment"]
    assert isinstance(environment, dict)
    return {name: str(value) for name, value in environment.items()}


def airflow_python(code: str, env: Mapping[str, str], args: Sequence[str] = ()) -> str:
    """Run `code` (given `args`) in a fresh Python with Airflow configured only by `env` and a scratch AIRFLOW_HOME;
    return what it printed."""
    with tempfile.TemporaryDirectory(prefix="wiredesk-compose-") as home:
        clean = {name: value for name, value in os.environ.items() if not name.startswith("AIRFLOW")}
        result = subprocess.run(
            [sys.executable, "-c", code, *args],
            env=clean | {"AIRFLOW_HOME": home} | dict(env),
            capture_output=True, text=True, timeout=300, cwd=ROOT,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()
