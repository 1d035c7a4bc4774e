"""docker-compose.yml cannot run here (no Docker engine): check what can be checked without one."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from pipeline.settings import Settings
from pipeline.tasks import WAREHOUSE_CONNECTION
from tests.compose import (
    REQUIRED_SECRETS,
    ROOT,
    airflow_python,
    compose,
    env_example,
    filled_env,
    interpolated,
    service_environment,
)

AIRFLOW_SERVICES = {"airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer", "airflow-worker"}  # fmt: skip
CELERY_SERVICES = {"redis", "airflow-worker"}


def _services() -> dict[str, Any]:
    services = compose()["services"]
    assert isinstance(services, dict)
    return services


def test_the_stack_has_the_services_of_airflows_compose_file() -> None:
    assert set(_services()) == {"postgres", "redis"} | AIRFLOW_SERVICES


def test_postgres_service_is_healthchecked_and_bound_to_loopback() -> None:
    postgres = _services()["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert postgres["healthcheck"]["test"][0] == "CMD-SHELL" and "pg_isready" in postgres["healthcheck"]["test"][1]
    assert all(port.startswith("127.0.0.1:") for port in postgres["ports"])


def test_every_published_port_is_bound_to_loopback() -> None:
    ports = {name: service.get("ports", []) for name, service in _services().items()}
    assert ports["airflow-apiserver"] and ports["postgres"]
    assert all(port.startswith("127.0.0.1:") for published in ports.values() for port in published), ports


def test_images_are_pinned_and_airflow_services_run_this_projects_image() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    for name, service in _services().items():
        image, _, tag = service["image"].partition(":")
        assert tag and tag != "latest" and re.search(r"\d", tag), f"{name}: {service['image']} is not pinned"
        if name in AIRFLOW_SERVICES:
            assert (image, tag, service["build"]) == ("wiredesk-airflow", version, "."), name


def test_long_running_services_have_healthchecks() -> None:
    for name, service in _services().items():
        if name != "airflow-init":
            assert service["healthcheck"]["test"], name
    scheduler, apiserver = _services()["airflow-scheduler"], _services()["airflow-apiserver"]
    assert "http://localhost:8974/health" in scheduler["healthcheck"]["test"]
    assert "http://localhost:8080/api/v2/version" in apiserver["healthcheck"]["test"]
    assert scheduler["environment"]["AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK"] == "true"


def test_airflow_waits_for_a_healthy_postgres_and_a_finished_init() -> None:
    services = _services()
    assert services["airflow-init"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"] == {"condition": "service_healthy"}, name
        assert depends_on["airflow-init"] == {"condition": "service_completed_successfully"}, name
    worker, scheduler = services["airflow-worker"]["depends_on"], services["airflow-scheduler"]["depends_on"]
    assert worker["redis"] == {"condition": "service_healthy"}
    assert worker["airflow-apiserver"] == {"condition": "service_healthy"}
    # Without the celery profile there is no redis to wait for; with it, the scheduler must not start before it.
    assert scheduler["redis"] == {"condition": "service_healthy", "required": False}


def test_local_executor_by_default_and_celery_in_its_profile() -> None:
    services = _services()
    profiled = {name for name, service in services.items() if "profiles" in service}
    assert profiled == CELERY_SERVICES
    assert all(services[name]["profiles"] == ["celery"] for name in CELERY_SERVICES)
    executors = {interpolated(service_environment(name)["AIRFLOW__CORE__EXECUTOR"]) for name in AIRFLOW_SERVICES}
    assert executors == {"LocalExecutor"} and env_example()["AIRFLOW_EXECUTOR"] == "LocalExecutor"
    assert interpolated(service_environment("airflow-worker")["AIRFLOW__CELERY__BROKER_URL"]) == "redis://redis:6379/0"
    assert services["airflow-worker"]["command"] == "celery worker"


def test_every_variable_compose_reads_is_in_env_example() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"(?<!\$)\$\{([A-Z_]+)(?:[:?-][^}]*)?\}", text))
    assert used and used <= set(env_example()), used - set(env_example())


def test_the_warehouse_alone_runs_from_env_example_as_it_is() -> None:
    # Compose interpolates the whole file even for `docker compose up -d postgres`: no variable may be required there.
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    interpolated(text, env_example())
    assert env_example()["AIRFLOW_JWT_SECRET"] == "" and env_example()["AIRFLOW_ADMIN_PASSWORD"] == ""


def test_no_password_has_a_default() -> None:
    # A password written in docker-compose.yml or .env.example is one anyone can read: each must come from .env.
    assert all(env_example()[name] == "" for name in REQUIRED_SECRETS)
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for name in ("POSTGRES_PASSWORD", "LOADER_PASSWORD", "AIRFLOW_DB_PASSWORD"):
        uses = re.findall(rf"\$\{{{name}([^}}]*)\}}", text)
        assert uses and set(uses) == {":-"}, (name, uses)


def test_env_example_names_exactly_the_variables_wiredesk_reads() -> None:
    wiredesk_names = {name for name in env_example() if name.startswith("WIREDESK_")}
    files = [*(ROOT / "pipeline").rglob("*.py"), *(ROOT / "dags").rglob("*.py")]
    code = "".join(path.read_text(encoding="utf-8") for path in files)
    assert wiredesk_names == set(re.findall(r'"(WIREDESK_[A-Z_]+)"', code))


def test_airflow_services_pass_every_variable_the_tasks_and_dags_read() -> None:
    # WIREDESK_DATABASE_URL, WIREDESK_SOURCES and WIREDESK_DATA_DIR name host paths in .env; compose sets its own.
    wiredesk_names = {name for name in env_example() if name.startswith("WIREDESK_")}
    for name in AIRFLOW_SERVICES:
        assert wiredesk_names <= set(service_environment(name)), name
    sources = service_environment("airflow-scheduler")["WIREDESK_SOURCES"]
    assert sources == "/opt/wiredesk/config/sources.toml" and "./config:/opt/wiredesk/config:ro" in _mounts(
        "airflow-scheduler"
    )


def test_env_example_warehouse_url_matches_the_compose_database() -> None:
    env = filled_env()
    settings = Settings.from_env(env)
    assert settings.database_url == (
        f"postgresql+psycopg2://{env['LOADER_USER']}:{env['LOADER_PASSWORD']}"
        f"@127.0.0.1:{env['WAREHOUSE_PORT']}/{env['POSTGRES_DB']}"
    )


def test_the_warehouse_connection_resolves_to_the_database_wiredesk_upgrades() -> None:
    environment = service_environment("airflow-scheduler")
    name = f"AIRFLOW_CONN_{WAREHOUSE_CONNECTION.upper()}"
    connection, database_url = interpolated(environment[name]), interpolated(environment["WIREDESK_DATABASE_URL"])
    # Resolved the way a task resolves it: Airflow reads the variable, pipeline.tasks builds the URL.
    resolved = airflow_python(
        "from pipeline import tasks; print(tasks.warehouse_url().render_as_string(hide_password=False))",
        {name: connection},
    )
    env = filled_env()
    expected = f"postgresql+psycopg2://{env['LOADER_USER']}:{env['LOADER_PASSWORD']}@postgres:5432/{env['POSTGRES_DB']}"
    assert resolved == database_url == expected


def _mounts(service: str) -> list[str]:
    return list(_services()[service].get("volumes", []))


def test_mounted_host_folders_exist() -> None:
    named = set(compose()["volumes"])
    host_paths = []
    for name in _services():
        for mount in _mounts(name):
            source = interpolated(mount).split(":")[0]
            if source in named:
                continue
            assert source.startswith("./"), f"{name}: {mount} is neither a named volume nor a path in the checkout"
            host_paths.append(ROOT / source)
    assert {ROOT / "dags", ROOT / "config", ROOT / "docker/postgres"} <= set(host_paths)
    assert all(path.is_dir() for path in host_paths), [path for path in host_paths if not path.is_dir()]


def test_the_init_scripts_exist_and_create_the_roles_from_the_env() -> None:
    postgres = _services()["postgres"]
    mounts = [volume.split(":") for volume in postgres["volumes"] if volume.startswith("./")]
    [(host, container, _)] = mounts
    assert container == "/docker-entrypoint-initdb.d" and (ROOT / host).is_dir()
    # The image runs them in name order: the loader role first, then Airflow's database.
    scripts = sorted(path.name for path in (ROOT / host).iterdir())
    assert scripts == ["10-loader-role.sh", "20-airflow-database.sh"]
    loader = (ROOT / host / "10-loader-role.sh").read_text(encoding="utf-8")
    airflow = (ROOT / host / "20-airflow-database.sh").read_text(encoding="utf-8")
    assert "$LOADER_USER" in loader and "$LOADER_PASSWORD" in loader
    assert all(f"${name}" in airflow for name in ("AIRFLOW_DB_USER", "AIRFLOW_DB_PASSWORD", "AIRFLOW_DB_NAME"))
    assert {"LOADER_USER", "LOADER_PASSWORD", "AIRFLOW_DB_USER", "AIRFLOW_DB_PASSWORD", "AIRFLOW_DB_NAME"} <= set(
        postgres["environment"]
    )


def test_airflow_uses_the_metadata_database_the_init_script_creates() -> None:
    env = filled_env()
    url = interpolated(service_environment("airflow-scheduler")["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    assert url == (
        f"postgresql+psycopg2://{env['AIRFLOW_DB_USER']}:{env['AIRFLOW_DB_PASSWORD']}@postgres:5432/"
        f"{env['AIRFLOW_DB_NAME']}"
    )


def test_every_airflow_setting_compose_sets_is_an_airflow_option() -> None:
    # A misspelt AIRFLOW__SECTION__KEY is ignored silently; Airflow's own option list catches it here.
    spec = importlib.util.find_spec("airflow")
    assert spec is not None and spec.submodule_search_locations is not None
    template = Path(spec.submodule_search_locations[0]) / "config_templates" / "config.yml"
    options = yaml.safe_load(template.read_text(encoding="utf-8"))
    # The OpenLineage provider declares its own section.
    from airflow.providers.openlineage.get_provider_info import get_provider_info

    options |= get_provider_info()["config"]  # type: ignore[no-untyped-call]
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    settings = set(re.findall(r"\bAIRFLOW__([A-Z_]+?)__([A-Z_]+)", text))
    # The [celery] options are the Celery provider's, which the image has and the dev lock has not.
    unknown = {
        (section, key)
        for section, key in settings
        if section != "CELERY" and key.lower() not in options.get(section.lower(), {}).get("options", {})
    }
    assert len(settings) > 10 and not unknown, unknown
