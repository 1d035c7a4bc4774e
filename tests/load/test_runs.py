"""Runs that tell the truth: a killed run shows as abandoned, and two dedupe passes at once place each article once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from pipeline.load.runs import STORIES_JOB, exclusive, live_run
from pipeline.sources import Source
from tests.load.test_stories import NIGHT, edited, item, load, partition
from tests.wire import STORIES

# A run started in a process of its own, which then sleeps until it is killed.
HOLD_A_RUN = """
import sys, time
from sqlalchemy.engine import make_url
from pipeline.load import db
from pipeline.load.runs import live_run
engine = db.create_engine(make_url(sys.argv[1]))
with live_run(engine, "ingest", ["held"]) as run_id:
    print(run_id, flush=True)
    time.sleep(600)
"""


def statuses(engine: sa.Engine) -> dict[int, tuple[str, str | None]]:
    """Run id -> (status, error)."""
    with engine.connect() as connection:
        return {
            row[0]: (row[1], row[2]) for row in connection.exec_driver_sql("SELECT id, status, error FROM ingest_runs")
        }


def hold_a_run(engine: sa.Engine) -> tuple[subprocess.Popen[str], int]:
    """A process running a run, and the run's id."""
    url = engine.url.render_as_string(hide_password=False)
    process = subprocess.Popen([sys.executable, "-c", HOLD_A_RUN, url], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, int(process.stdout.readline())


def test_a_killed_run_is_abandoned_when_the_next_run_starts_and_a_live_one_is_not(engine: sa.Engine) -> None:
    killed, killed_id = hold_a_run(engine)
    alive, alive_id = hold_a_run(engine)
    try:
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(timeout=10)
        time.sleep(0.5)  # Postgres sees the connection close
        assert statuses(engine)[killed_id][0] == "running"

        with live_run(engine, "ingest", ["next"]) as next_id:
            pass

        runs = statuses(engine)
        assert runs[killed_id][0] == "abandoned" and "killed" in (runs[killed_id][1] or "")
        assert runs[alive_id] == ("running", None)
        assert runs[next_id] == ("succeeded", None)
    finally:
        alive.kill()
        alive.wait(timeout=10)


def test_a_failed_run_records_its_error(engine: sa.Engine) -> None:
    try:
        with live_run(engine, "ingest", []) as run_id:
            raise RuntimeError("the disk is full")
    except RuntimeError:
        pass
    assert statuses(engine)[run_id] == ("failed", "RuntimeError: the disk is full")


def wiredesk_dedupe(engine: sa.Engine) -> subprocess.Popen[str]:
    """`wiredesk dedupe` on the test warehouse, started in the background."""
    env = os.environ | {"WIREDESK_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    command = [sys.executable, "-m", "pipeline.cli", "dedupe"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen[str]) -> tuple[int, str]:
    """Exit status and stderr."""
    _, stderr = process.communicate(timeout=300)
    return process.returncode, stderr


def forget_signatures(engine: sa.Engine) -> None:
    """Every article waits for a dedupe pass again (as after a change of signature algorithm)."""
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE article_signatures SET algorithm = 'an-older-one'")


def copies(count: int) -> list[dict[str, str]]:
    """`count` outlets' edited copies of each test story."""
    return [
        item(f"https://gulf-times.com/{story}-{n}", "gulf-times", NIGHT + timedelta(minutes=n), edited(body, 0.03, n))
        for story, body in enumerate(STORIES)
        for n in range(count)
    ]


def test_two_dedupe_passes_at_once_give_the_stories_of_one(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    load(engine, sources, tmp_path, "night", copies(40))
    one_pass = partition(engine)
    forget_signatures(engine)

    first, second = wiredesk_dedupe(engine), wiredesk_dedupe(engine)
    results = [finished(first), finished(second)]

    for status, stderr in results:
        assert status == 0 and "Traceback" not in stderr, stderr
    assert sorted(stderr.split("run ")[-1].split(": ")[1].split(" · ")[0] for _, stderr in results) == [
        "articles 0",
        f"articles {len(STORIES) * 40}",
    ]
    assert partition(engine) == one_pass


def test_dedupe_waits_while_another_process_places_articles(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    load(engine, sources, tmp_path, "night", copies(2))
    one_pass = partition(engine)
    forget_signatures(engine)

    with exclusive(engine, STORIES_JOB, "placing articles in stories"):
        waiting = wiredesk_dedupe(engine)
        time.sleep(3)
        assert waiting.poll() is None, finished(waiting)
    status, stderr = finished(waiting)

    assert status == 0, stderr
    assert partition(engine) == one_pass
