"""docker-compose.yml cannot run here (no Docker engine): check what can be checked without one."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict[str, object]:
    document = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_postgres_service_is_healthchecked_and_bound_to_loopback() -> None:
    postgres = _compose()["services"]["postgres"]  # type: ignore[index]
    assert postgres["image"].startswith("postgres:")
    assert postgres["healthcheck"]["test"][0] == "CMD-SHELL" and "pg_isready" in postgres["healthcheck"]["test"][1]
    assert all(port.startswith("127.0.0.1:") for port in postgres["ports"])


def test_every_variable_compose_reads_is_in_env_example() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"(?<!\$)\$\{([A-Z_]+)(?::-[^}]*)?\}", text))
    assert used and used <= set(_env_example())


def test_env_example_names_exactly_the_variables_wiredesk_reads() -> None:
    wiredesk_names = {name for name in _env_example() if name.startswith("WIREDESK_")}
    code = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "pipeline").rglob("*.py"))
    assert wiredesk_names == set(re.findall(r'"(WIREDESK_[A-Z_]+)"', code))


def test_env_example_warehouse_url_matches_the_compose_database() -> None:
    env = _env_example()
    settings = Settings.from_env(env)
    assert settings.database_url == (
        f"postgresql+psycopg2://{env['LOADER_USER']}:{env['LOADER_PASSWORD']}"
        f"@127.0.0.1:{env['WAREHOUSE_PORT']}/{env['POSTGRES_DB']}"
    )


def test_the_init_scripts_exist_and_create_the_loader_role_from_the_env() -> None:
    postgres = _compose()["services"]["postgres"]  # type: ignore[index]
    mounts = [volume.split(":") for volume in postgres["volumes"] if volume.startswith("./")]
    [(host, container, _)] = mounts
    assert container == "/docker-entrypoint-initdb.d" and (ROOT / host).is_dir()
    script = (ROOT / host / "10-loader-role.sh").read_text(encoding="utf-8")
    assert "$LOADER_USER" in script and "$LOADER_PASSWORD" in script
    assert {"LOADER_USER", "LOADER_PASSWORD"} <= set(postgres["environment"])


def test_the_loader_role_script_runs_on_a_real_postgres() -> None:
    # The image runs it with psql against POSTGRES_DB; here the same psql runs it against a scratch database.
    import os
    import subprocess
    import uuid

    database, role = f"wiredesk_compose_{uuid.uuid4().hex[:8]}", f"loader_{uuid.uuid4().hex[:8]}"
    admin = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"]
    subprocess.run([*admin, f'CREATE DATABASE "{database}"'], check=True)
    env = os.environ | {
        "POSTGRES_USER": "postgres", "POSTGRES_DB": database, "LOADER_USER": role, "LOADER_PASSWORD": "secret",
        "PGHOST": "127.0.0.1",
    }  # fmt: skip
    try:
        subprocess.run(["bash", str(ROOT / "docker" / "postgres" / "10-loader-role.sh")], check=True, env=env)
        can = subprocess.run(
            [*admin, f"SELECT has_database_privilege('{role}', '{database}', 'CREATE')", "-At"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        assert can.stdout.strip() == "t"
    finally:
        subprocess.run([*admin, f'DROP DATABASE "{database}"'], check=True)
        subprocess.run([*admin, f'DROP ROLE IF EXISTS "{role}"'], check=True)
