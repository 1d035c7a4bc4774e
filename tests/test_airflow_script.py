"""`make airflow`'s script, started for real on a free port: the triggerer runs, LocalExecutor starts one worker
per core, the tasks' tokens are signed with a 64-byte secret, and nothing listens beyond 127.0.0.1. Then a night
runs under the real scheduler: the API shows each fetch task by its source's slug, the night, slower than the
deadline it is given, sends the deadline mail through the real triggerer, and OpenLineage events say what each task
read and wrote."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg2
import pytest
import sqlalchemy as sa

from tests.conftest import ADMIN_URL, _admin_dsn
from tests.dags.mail import Mailbox
from tests.dags.site import WireSite

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "airflow.sh"
RUN_TIMEOUT_SECONDS = 600
DEADLINE_MINUTES = 0.05
"""3 s: a night takes longer than that."""


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def group_processes(group: int) -> dict[int, str]:
    """pid -> command line of the processes in process group `group`."""
    listing = subprocess.run(["ps", "-ww", "-o", "pid=,args=", "-g", str(group)], capture_output=True, text=True).stdout
    return {
        int(pid): args for pid, args in (line.strip().split(" ", 1) for line in listing.splitlines() if line.strip())
    }


def listening_addresses(pids: set[int]) -> set[str]:
    """The local addresses TCP sockets of `pids` listen on."""
    lines = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=True).stdout.splitlines()
    return {line.split()[3] for line in lines if any(int(pid) in pids for pid in re.findall(r"pid=(\d+)", line))}


@pytest.fixture
def metadata_url() -> Iterator[str]:
    """A fresh Airflow metadata database on the real Postgres (the scheduler and LocalExecutor write to it at
    once), dropped afterwards."""
    name = f"airflow_script_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(_admin_dsn())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(ADMIN_URL).set(drivername="postgresql+psycopg2", database=name).render_as_string(False)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_make_airflow_runs_a_night_on_loopback_with_the_triggerer_and_one_worker_per_core(
    engine: sa.Engine, metadata_url: str, tmp_path: Path
) -> None:
    from tests.dags.test_wire_ingest import write_sources

    home, port = tmp_path / "airflow", free_port()
    cores = len(os.sched_getaffinity(0))  # what nproc counts
    with Mailbox() as mailbox, WireSite(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())) as site:
        write_sources(tmp_path / "sources.toml", site)
        env = {name: value for name, value in os.environ.items() if not name.startswith(("AIRFLOW", "WIREDESK"))} | {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW_PORT": str(port),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
            "AIRFLOW_CONN_WIREDESK_ALERTS": mailbox.connection_json(),
            "BIN": str(Path(sys.executable).parent),
            "PYTHONPATH": str(ROOT),
            "WIREDESK_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "WIREDESK_SOURCES": str(tmp_path / "sources.toml"),
            "WIREDESK_ALLOW_PRIVATE_HOSTS": "1",
            "WIREDESK_DEADLINE_MINUTES": str(DEADLINE_MINUTES),
            # The script names wiredesk's lineage extractor; where the events go is the user's choice.
            "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps(
                {"type": "file", "log_file_path": str(tmp_path / "lineage.jsonl"), "append": True}
            ),
        }
        home.mkdir()
        # A secret an older version of the script left, too short for HS512: replaced.
        (home / "jwt_secret").write_text("x" * 43 + "\n", encoding="utf-8")
        started = subprocess.run([str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=600)
        try:
            assert started.returncode == 0, started.stdout + started.stderr
            group = int((home / "airflow.pgid").read_text())
            workers = _wait_for_workers(group, cores)
            time.sleep(5)  # every component has had time to open what it listens on
            addresses = listening_addresses(set(group_processes(group)))
            night = _run_a_night(f"http://127.0.0.1:{port}", home)
            mails = _wait_for_mail(mailbox)
        finally:
            subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, text=True, timeout=120)
    assert len(workers) == cores, workers
    assert addresses == {f"127.0.0.1:{port}"}, addresses
    assert len((home / "jwt_secret").read_text(encoding="utf-8").strip()) >= 64
    assert night["state"] == "success", night
    assert night["fetch"] == ["wire-site"], "the API names each fetch task by its source"
    assert [subject for subject, _ in mails] == ["wiredesk: wire_ingest not done by its deadline"]
    # OpenLineage sees the night's data flow: the source's feed -> raw documents -> articles -> stories.
    lineage = _completed_lineage(tmp_path / "lineage.jsonl")
    table = f"{engine.url.database}.wiredesk.{{}}".format
    namespace = f"postgres://{engine.url.host}:{engine.url.port}"
    assert (site.base_url, "/feed.rss") in lineage["wire_ingest.fetch"][0]
    assert {(namespace, table("raw_documents")), (namespace, table("articles"))} <= lineage["wire_ingest.fetch"][1]
    assert lineage["wire_ingest.dedupe"] == ({(namespace, table("articles"))}, {(namespace, table("stories"))})
    assert (namespace, table("article_search")) in lineage["wire_ingest.publish"][1]


def _wait_for_workers(group: int, cores: int) -> list[str]:
    """The LocalExecutor workers, once the triggerer runs and the scheduler has forked them. The scheduler starts its
    executor only after importing Airflow and the DAGs, which takes minutes on a loaded 2-core machine, so the wait
    is the night's own budget rather than a guess at how fast a machine is."""
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while True:
        processes = group_processes(group)
        workers = [args for args in processes.values() if "LocalExecutor" in args]
        if any("triggerer" in args for args in processes.values()) and len(workers) >= cores:
            return workers
        assert time.monotonic() < deadline, "\n".join(processes.values())
        time.sleep(1)


def _run_a_night(base: str, home: Path) -> dict[str, Any]:
    """Unpause wire_ingest (the scheduler then runs the last complete night), wait for the run to end; its state and
    the rendered map indexes of its fetch tasks."""
    password = json.loads((home / "simple_auth_manager_passwords.json.generated").read_text())["admin"]
    token = httpx.post(f"{base}/auth/token", json={"username": "admin", "password": password}, timeout=60).json()
    client = httpx.Client(
        base_url=f"{base}/api/v2", headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=60
    )
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while client.get("/dags/wire_ingest").status_code != 200:
        assert time.monotonic() < deadline, "the DAG processor never parsed wire_ingest"
        time.sleep(2)
    client.patch("/dags/wire_ingest", json={"is_paused": False}).raise_for_status()
    while True:
        runs = client.get("/dags/wire_ingest/dagRuns").json()["dag_runs"]
        if runs and runs[0]["state"] in ("success", "failed"):
            break
        assert time.monotonic() < deadline, f"the night did not finish in {RUN_TIMEOUT_SECONDS} s: {runs}"
        time.sleep(3)
    [run] = runs
    instances = client.get(f"/dags/wire_ingest/dagRuns/{run['dag_run_id']}/taskInstances").json()["task_instances"]
    fetches = [ti["rendered_map_index"] for ti in instances if ti["task_id"] == "fetch"]
    return {"state": run["state"], "fetch": fetches, "tasks": {ti["task_id"]: ti["state"] for ti in instances}}


def _completed_lineage(events: Path) -> dict[str, tuple[set[tuple[str, str]], set[tuple[str, str]]]]:
    """Job name -> its (inputs, outputs) as (namespace, name), from the COMPLETE events the file transport wrote."""
    found: dict[str, tuple[set[tuple[str, str]], set[tuple[str, str]]]] = {}
    for line in events.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        if event["eventType"] == "COMPLETE":
            inputs, outputs = found.setdefault(event["job"]["name"], (set(), set()))
            inputs |= {(item["namespace"], item["name"]) for item in event.get("inputs", [])}
            outputs |= {(item["namespace"], item["name"]) for item in event.get("outputs", [])}
    return found


def _wait_for_mail(mailbox: Mailbox) -> list[tuple[str, str]]:
    with mailbox.arrived:
        mailbox.arrived.wait_for(lambda: mailbox.messages, timeout=120)
    return mailbox.texts()
