"""Alerts: a night not done by its deadline mails the desk; without an alerts connection nothing is sent.

The deadline is Airflow's own machinery, driven by hand: the nightly DAG is stored as the DAG processor stores it, a
run is queued as the scheduler queues it, the scheduler's step that finds missed deadlines runs, and the trigger that
step queues runs as the triggerer runs it. What the scheduler and triggerer processes add is their loops.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.dags.conftest import ROOT
from tests.dags.mail import Mailbox
from tests.dags.test_wire_ingest import NIGHT

DEADLINE_MINUTES = 0.01
"""0.6 s: the deadline passes while the test waits a second."""


def store_nightly_dag() -> Any:
    """wire_ingest, parsed and stored in the metadata database as the DAG processor does; the stored version."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import BundleDagBag, sync_bag_to_db
    from airflow.models.dagbag import DBDagBag
    from airflow.utils.session import create_session

    manager = DagBundlesManager()  # type: ignore[no-untyped-call]
    with create_session() as session:
        manager.sync_bundles_to_db(session=session)
    [bundle] = [bundle for bundle in manager.get_all_dag_bundles() if Path(bundle.path) == ROOT / "dags"]
    bundle.initialize()
    bag = BundleDagBag(dag_folder=bundle.path, bundle_path=bundle.path, bundle_name=bundle.name)
    assert not bag.import_errors, bag.import_errors
    sync_bag_to_db(bag, bundle.name, bundle.version)
    with create_session() as session:
        return DBDagBag().get_latest_version_of_dag("wire_ingest", session=session)


def queue_a_night(stored: Any) -> str:
    """Queue a run of the stored DAG, as the scheduler does when a night is due; its run id."""
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunTriggeredByType, DagRunType

    run_id = f"scheduled__deadline_{time.time_ns()}"
    with create_session() as session:
        stored.create_dagrun(
            run_id=run_id,
            logical_date=NIGHT + timedelta(seconds=time.time_ns() % 86_400),
            data_interval=(NIGHT - timedelta(days=1), NIGHT),
            run_after=NIGHT,
            run_type=DagRunType.SCHEDULED,
            triggered_by=DagRunTriggeredByType.TIMETABLE,
            state=DagRunState.QUEUED,
            session=session,
        )
    return run_id


def handle_missed_deadlines() -> int:
    """The scheduler's step: each deadline past due and not handled yet queues its callback; how many."""
    from airflow.models.deadline import Deadline
    from airflow.utils.session import create_session

    with create_session() as session:
        missed = session.scalars(
            sa.select(Deadline).where(Deadline.deadline_time < datetime.now(UTC)).where(~Deadline.missed)
        ).all()
        for deadline in missed:
            deadline.handle_miss(session)
        return len(missed)


def run_queued_callbacks() -> list[dict[str, Any]]:
    """The triggerer's work: run each trigger a missed deadline queued, and return their events' payloads."""
    from airflow.models.trigger import Trigger
    from airflow.sdk._shared.module_loading import import_string
    from airflow.utils.session import create_session

    with create_session() as session:
        queued = [(row.classpath, row.kwargs) for row in session.scalars(sa.select(Trigger))]

    async def events(run: AsyncIterator[Any]) -> list[dict[str, Any]]:
        return [event.payload async for event in run]

    payloads = []
    for classpath, kwargs in queued:
        trigger = import_string(classpath)(**kwargs)
        payloads += asyncio.run(events(trigger.run()))
    return payloads


def test_a_night_not_done_by_its_deadline_sends_the_deadline_mail(
    airflow_db: Path, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIREDESK_DEADLINE_MINUTES", str(DEADLINE_MINUTES))
    run_id = queue_a_night(store_nightly_dag())
    time.sleep(1)

    assert handle_missed_deadlines() == 1
    payloads = run_queued_callbacks()

    assert payloads[-1]["state"] == "success", payloads
    [(subject, body)] = mailbox.texts()
    assert subject == "wiredesk: wire_ingest not done by its deadline"
    assert f"wire_ingest, run {run_id}" in body and "was not done by its deadline" in body
    assert "it is queued" in body


def test_without_an_alerts_connection_nothing_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.alerts import send_alert

    monkeypatch.delenv("AIRFLOW_CONN_WIREDESK_ALERTS", raising=False)
    assert send_alert("wiredesk: a test", "nothing to see") is False


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_a_deadline_that_is_not_a_positive_number_of_minutes_is_refused(value: str) -> None:
    from pipeline.alerts import run_deadline

    with pytest.raises(ValueError, match="WIREDESK_DEADLINE_MINUTES must be a number of minutes > 0"):
        run_deadline({"WIREDESK_DEADLINE_MINUTES": value})
    assert run_deadline({"WIREDESK_DEADLINE_MINUTES": "off"}) is None
