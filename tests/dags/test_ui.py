"""The Airflow UI, in a real browser: `make airflow`'s script starts Airflow, the nightly DAG is unpaused and runs
its night against a real outlet on 127.0.0.1, and Debian's chromium (driven by Playwright) logs in and saves a
screenshot of the DAG's grid with every task green.

Skipped, saying why, when chromium is not installed (`.ci/run` installs it, so CI runs this test).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg2
import pytest
import sqlalchemy as sa

from tests.conftest import ADMIN_URL, _admin_dsn
from tests.dags.conftest import ROOT
from tests.dags.site import WireSite
from tests.dags.test_wire_ingest import write_sources

SCREENSHOT = ROOT / "build" / "airflow-grid.png"
TASKS = ("list_sources", "fetch", "extract", "dedupe", "check", "publish")
RUN_TIMEOUT_SECONDS = 900


def last_complete_night(now: datetime) -> tuple[datetime, datetime]:
    """The data interval of the nightly run the scheduler creates when the DAG is unpaused now (02:00 UTC cron)."""
    end = now.replace(hour=2, minute=0, second=0, microsecond=0)
    end = end if now >= end else end - timedelta(days=1)
    return end - timedelta(days=1), end


@pytest.fixture
def metadata_url() -> Iterator[str]:
    """A fresh Airflow metadata database on the real Postgres, dropped afterwards."""
    name = f"airflow_ui_{uuid.uuid4().hex[:12]}"
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


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_grid_shows_a_green_night(
    chromium: str, metadata_url: str, warehouse_connection: sa.Engine, tmp_path: Path
) -> None:
    start, end = last_complete_night(datetime.now(UTC))
    home, port = tmp_path / "airflow", free_port()
    env = os.environ | {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW_PORT": str(port),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
        "BIN": str(Path(sys.executable).parent),
        "WIREDESK_DATABASE_URL": warehouse_connection.url.render_as_string(hide_password=False),
        "WIREDESK_SOURCES": str(tmp_path / "sources.toml"),
        "WIREDESK_ALLOW_PRIVATE_HOSTS": "1",
    }
    env.pop("AIRFLOW_CONN_WIREDESK_WAREHOUSE", None)
    script = str(ROOT / "scripts" / "airflow.sh")
    with WireSite(format_datetime(start + timedelta(hours=12), usegmt=True)) as site:
        write_sources(tmp_path / "sources.toml", site)
        started = subprocess.run([script, "start"], env=env, capture_output=True, text=True, timeout=600)
        try:
            assert started.returncode == 0, started.stdout + started.stderr
            base = f"http://127.0.0.1:{port}"
            password = _password(home)
            state = _run_the_night(base, password, start)
            _screenshot_the_grid(chromium, base, password)
        finally:
            subprocess.run([script, "stop"], env=env, capture_output=True, text=True, timeout=120)
    assert state["run"] == "success", state
    assert set(state["tasks"]) == set(TASKS) and set(state["tasks"].values()) == {"success"}, state
    assert SCREENSHOT.stat().st_size > 10_000
    print(f"\nscreenshot of the grid: {SCREENSHOT} (night {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC)")


def _password(home: Path) -> str:
    import json

    generated = json.loads((home / "simple_auth_manager_passwords.json.generated").read_text())
    return str(generated["admin"])


def _run_the_night(base: str, password: str, start: datetime) -> dict[str, Any]:
    """Unpause wire_ingest (the scheduler then runs the last complete night) and wait for the run to end."""
    token = httpx.post(f"{base}/auth/token", json={"username": "admin", "password": password}, timeout=60).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    client = httpx.Client(base_url=f"{base}/api/v2", headers=headers, timeout=60)
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
    assert datetime.fromisoformat(run["data_interval_start"]) == start
    instances = client.get(f"/dags/wire_ingest/dagRuns/{run['dag_run_id']}/taskInstances").json()
    return {"run": run["state"], "tasks": {ti["task_id"]: ti["state"] for ti in instances["task_instances"]}}


def _screenshot_the_grid(chromium: str, base: str, password: str) -> None:
    from playwright.sync_api import sync_playwright

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{base}/")
        page.locator("input").first.fill("admin")
        page.locator("input[type=password]").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/auth/" not in url, timeout=60_000)
        page.goto(f"{base}/dags/wire_ingest")
        try:
            for task in TASKS:
                # A mapped task's row reads "fetch [ ]".
                page.get_by_text(re.compile(rf"^{task}( \[ ?\])?$")).first.wait_for(timeout=60_000)
        finally:
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            browser.close()
