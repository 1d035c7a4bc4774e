"""The warehouse goes down in the middle of a night and comes back: the retry finishes it, nothing lost or doubled.

The warehouse here is a Postgres of its own (the embedded server wiredesk runs for `make demo`), so the test can
stop and start it without touching the machine's Postgres.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from pipeline.load import db
from tests.dags.conftest import dag_named
from tests.dags.site import WireSite
from tests.dags.test_wire_ingest import IN_THE_NIGHT, NIGHT, ONE_NIGHT, task_states, warehouse_counts, write_sources

RETRY_DELAY = timedelta(seconds=3)


def fetch_states() -> list[str]:
    """States of wire_ingest's fetch task instances, from Airflow's metadata database."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        query = sa.select(TaskInstance.state).where(
            TaskInstance.dag_id == "wire_ingest", TaskInstance.task_id == "fetch"
        )
        return [str(state) for state in session.scalars(query)]


@pytest.fixture
def own_warehouse(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A migrated warehouse on an embedded Postgres of its own, named by the Airflow connection."""
    # Not under pytest's tmp_path: the server runs as its own system user and must reach the folder.
    data_dir = Path(tempfile.mkdtemp(prefix="wiredesk-outage-"))
    engine = db.create_engine(make_url(db.embedded_server_url(data_dir)))
    db.upgrade(engine)
    monkeypatch.setenv("AIRFLOW_CONN_WIREDESK_WAREHOUSE", db.airflow_connection_json(engine.url))
    engine.dispose()
    try:
        yield data_dir
    finally:
        db.stop_embedded_server(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


def test_a_night_survives_the_warehouse_going_down_mid_run(
    airflow_db: Path, own_warehouse: Path, wiredesk_env: Path
) -> None:
    dag = dag_named("wire_ingest")
    for task in dag.tasks:
        task.retry_delay = RETRY_DELAY
    outage = threading.Event()

    def stop_warehouse_once(path: str, hit: int) -> None:
        # The fetch task asks for the feed's last link: its pages are downloaded, not loaded yet.
        if path == "/news/withdrawn" and hit == 1:
            assert db.stop_embedded_server(own_warehouse)
            outage.set()

    def restart_when_fetch_awaits_retry() -> None:
        # The warehouse comes back only once the fetch task has failed for want of it, before its retry starts.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if outage.is_set() and "up_for_retry" in fetch_states():
                db.embedded_server_url(own_warehouse)
                return
            time.sleep(0.2)

    restarter = threading.Thread(target=restart_when_fetch_awaits_retry, daemon=True)
    restarter.start()
    with WireSite(IN_THE_NIGHT) as site:
        write_sources(wiredesk_env, site)
        site.on_request = stop_warehouse_once
        run = dag.test(logical_date=NIGHT)
    restarter.join(timeout=5)

    assert outage.is_set()
    assert run.state == "success", task_states(run)
    fetch = next(ti for ti in run.get_task_instances() if ti.task_id == "fetch")
    assert fetch.try_number == 2, "the fetch task failed once, with the warehouse, and succeeded on its retry"

    engine = db.create_engine(make_url(db.embedded_server_url(own_warehouse)))
    try:
        assert warehouse_counts(engine) == ONE_NIGHT
        with engine.connect() as connection:
            fetch_runs = connection.exec_driver_sql(
                "SELECT status, loaded_count FROM ingest_runs WHERE command = 'fetch' ORDER BY id"
            ).all()
    finally:
        engine.dispose()
    # The first try could not record its own end (the warehouse was gone): the second found it abandoned, having
    # loaded nothing.
    assert [(r.status, r.loaded_count) for r in fetch_runs] == [("abandoned", 0), ("succeeded", 5)]
