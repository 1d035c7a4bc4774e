"""`make airflow`'s script, started for real on a free port: the triggerer runs, LocalExecutor starts one worker
per core, the tasks' tokens are signed with a 64-byte secret, and nothing listens beyond 127.0.0.1."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "airflow.sh"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def group_processes(group: int) -> dict[int, str]:
    """pid -> command line of the processes in process group `group`."""
    listing = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(group)], capture_output=True, text=True).stdout
    return {
        int(pid): args for pid, args in (line.strip().split(" ", 1) for line in listing.splitlines() if line.strip())
    }


def listening_addresses(pids: set[int]) -> set[str]:
    """The local addresses TCP sockets of `pids` listen on."""
    lines = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=True).stdout.splitlines()
    return {line.split()[3] for line in lines if any(int(pid) in pids for pid in re.findall(r"pid=(\d+)", line))}


def test_make_airflow_runs_the_triggerer_one_worker_per_core_and_listens_on_loopback_only(
    engine: sa.Engine, tmp_path: Path
) -> None:
    home, port = tmp_path / "airflow", free_port()
    cores = len(os.sched_getaffinity(0))  # what nproc counts
    env = {name: value for name, value in os.environ.items() if not name.startswith("AIRFLOW")} | {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW_PORT": str(port),
        "BIN": str(Path(sys.executable).parent),
        "PYTHONPATH": str(ROOT),
        "WIREDESK_DATABASE_URL": engine.url.render_as_string(hide_password=False),
    }
    home.mkdir()
    # A secret an older version of the script left, too short for HS512: replaced.
    (home / "jwt_secret").write_text("x" * 43 + "\n", encoding="utf-8")
    started = subprocess.run([str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=600)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        group = int((home / "airflow.pgid").read_text())
        deadline = time.monotonic() + 120
        while True:
            processes = group_processes(group)
            workers = [args for args in processes.values() if "LocalExecutor" in args]
            if any("triggerer" in args for args in processes.values()) and len(workers) >= cores:
                break
            assert time.monotonic() < deadline, processes
            time.sleep(1)
        time.sleep(5)  # every component has had time to open what it listens on
        addresses = listening_addresses(set(group_processes(group)))
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, text=True, timeout=120)
    assert len(workers) == cores, workers
    assert addresses == {f"127.0.0.1:{port}"}, addresses
    assert len((home / "jwt_secret").read_text(encoding="utf-8").strip()) >= 64
