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


def test_env_example_names_exactly_the_settings_wiredesk_reads() -> None:
    wiredesk_names = {name for name in _env_example() if name.startswith("WIREDESK_")}
    read = set(re.findall(r'"(WIREDESK_[A-Z_]+)"', (ROOT / "pipeline" / "settings.py").read_text(encoding="utf-8")))
    assert wiredesk_names == read


def test_env_example_warehouse_url_matches_the_compose_database() -> None:
    env = _env_example()
    settings = Settings.from_env(env)
    assert settings.database_url == (
        f"postgresql+psycopg2://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}"
        f"@127.0.0.1:{env['WAREHOUSE_PORT']}/{env['POSTGRES_DB']}"
    )
