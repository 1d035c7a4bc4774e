"""The Dockerfile cannot be built here (no Docker engine): check what goes into the image and what runs in it."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import typer.main

from pipeline.cli import app
from tests.compose import ROOT, airflow_python, compose, filled_env, interpolated

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
INIT_SCRIPT = ROOT / "docker" / "airflow" / "init.sh"


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (keyword, arguments), continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in joined.splitlines() if line.strip()]


def _copies() -> list[tuple[list[str], str]]:
    """Each COPY's sources and destination."""
    copies = []
    for keyword, arguments in _instructions():
        if keyword == "COPY":
            words = [word for word in arguments.split() if not word.startswith("--")]
            copies.append((words[:-1], words[-1]))
    return copies


def _lock_pins(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {_normalized(name): version for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_image_is_the_airflow_pyproject_pins_on_the_locks_python() -> None:
    [base] = [arguments for keyword, arguments in _instructions() if keyword == "FROM"]
    match = re.fullmatch(r"apache/airflow:(\d+\.\d+\.\d+)-python(\d+\.\d+)", base)
    assert match, base
    version, python = match.groups()
    assert f"apache-airflow=={version}" in PYPROJECT["project"]["optional-dependencies"]["airflow"]
    assert _lock_pins(ROOT / "requirements.lock")["apache-airflow"] == version
    assert f"--python-version {python}" in (ROOT / "requirements-runtime.lock").read_text(encoding="utf-8")
    # The build fails if installing wiredesk changed Airflow.
    runs = " ".join(arguments for keyword, arguments in _instructions() if keyword == "RUN")
    assert f"v('apache-airflow') == '{version}'" in runs and "pip check" in runs


def test_the_runtime_lock_pins_what_the_tests_run_against_and_no_airflow() -> None:
    runtime, full = _lock_pins(ROOT / "requirements-runtime.lock"), _lock_pins(ROOT / "requirements.lock")
    assert {name: full.get(name) for name in runtime} == runtime
    specs = PYPROJECT["project"]["dependencies"]
    dependencies = {_normalized(re.split(r"[<>=!~ \[;]", spec, maxsplit=1)[0]) for spec in specs}
    assert dependencies <= set(runtime), dependencies - set(runtime)
    assert not [name for name in runtime if name.startswith("apache-airflow")]
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements-runtime.lock").read_text(encoding="utf-8"))
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry.split("\n", 1)[0])


def test_the_image_gets_everything_the_wheel_build_needs() -> None:
    copied = {source for sources, _ in _copies() for source in sources}
    wheel = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {"pyproject.toml", "requirements-runtime.lock", PYPROJECT["project"]["readme"], *wheel["packages"]}
    assert needed | set(wheel["force-include"]) <= copied


def test_every_copied_path_exists_and_is_in_the_build_context() -> None:
    patterns = [line for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#")]  # fmt: skip
    assert {".env", ".git", ".venv"} <= set(patterns)
    for sources, _ in _copies():
        for source in sources:
            assert (ROOT / source).exists(), source
            ignored = [pattern for pattern in patterns if fnmatch.fnmatch(source, pattern.removeprefix("**/"))]
            assert not ignored, f"{source} is excluded by .dockerignore {ignored}"


def _airflow_services() -> dict[str, Any]:
    services = compose()["services"]
    return {name: service for name, service in services.items() if service["image"].startswith("wiredesk-airflow:")}


def _shell_commands(program: str) -> list[list[str]]:
    """The `program ...` command lines init.sh and the healthchecks run, as argument lists."""
    lines = [line.strip() for line in INIT_SCRIPT.read_text(encoding="utf-8").splitlines()]
    for service in _airflow_services().values():
        test = service.get("healthcheck", {}).get("test", [])
        if test and test[0] == "CMD-SHELL":
            lines.append(interpolated(test[1]))
    slots = filled_env()["FETCH_POOL_SLOTS"]
    lines = [line.replace("$FETCH_POOL_SLOTS", slots) for line in lines if line.startswith(f"{program} ")]
    return [shlex.split(line)[1:] for line in lines]


def test_airflow_init_runs_the_script_the_image_holds() -> None:
    init = compose()["services"]["airflow-init"]
    assert init["command"] == ["bash", "/opt/wiredesk/init.sh"]
    assert (["docker/airflow/init.sh"], "/opt/wiredesk/init.sh") in _copies()


def test_the_wiredesk_commands_the_stack_runs_exist() -> None:
    # `wiredesk` is the console script the wheel installs.
    assert PYPROJECT["project"]["scripts"]["wiredesk"] == "pipeline.cli:app"
    commands = _shell_commands("wiredesk")
    assert ["db", "upgrade"] in commands
    for argv in commands:
        group: Any = typer.main.get_command(app)
        for word in argv:
            group = group.commands[word]
        assert group.name == argv[-1]


def test_the_airflow_commands_the_stack_runs_exist() -> None:
    services = _airflow_services()
    # The official image runs `airflow <command>` unless the command is bash or python.
    commands = [shlex.split(service["command"]) for service in services.values() if isinstance(service["command"], str)]
    # `celery worker` comes from the Celery provider, which the image has and the dev lock has not.
    commands = [argv for argv in commands if argv[0] != "celery"] + _shell_commands("airflow")
    expected = {"api-server", "scheduler", "dag-processor", "triggerer", "db", "pools", "jobs"}
    assert expected <= {argv[0] for argv in commands}
    # Parsed by Airflow's own CLI parser: an unknown command, option or choice fails as it would in the container.
    code = (
        "import json, sys\n"
        "from airflow.cli.cli_parser import get_parser\n"
        "for argv in json.loads(sys.argv[1]):\n"
        "    get_parser().parse_args(argv)\n"
        "print('parsed', len(json.loads(sys.argv[1])))\n"
    )
    output = airflow_python(code, {}, [json.dumps(commands)])
    assert output.endswith(f"parsed {len(commands)}")
