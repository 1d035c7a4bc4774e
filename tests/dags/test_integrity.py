"""Every DAG parses cleanly, is documented and retried, and touches no database or connection while parsing."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import psycopg2
import pytest

from tests.dags.conftest import ROOT

DAG_IDS = {"wire_ingest", "wire_import"}


@pytest.fixture(scope="module")
def parsed(airflow_db: Any) -> tuple[Any, list[str]]:
    """The DagBag of dags/, and every database or network connection attempted while it was parsed."""
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk import BaseHook

    attempts: list[str] = []
    patches = pytest.MonkeyPatch()
    original_socket_connect = socket.socket.connect

    def record_connect(sock: socket.socket, address: Any) -> Any:
        attempts.append(f"socket to {address}")
        return original_socket_connect(sock, address)

    patches.setattr(psycopg2, "connect", lambda *a, **k: attempts.append("psycopg2.connect"))
    patches.setattr(BaseHook, "get_connection", classmethod(lambda cls, conn_id: attempts.append(conn_id)))
    patches.setattr(socket.socket, "connect", record_connect)
    try:
        bag = DagBag(dag_folder=str(ROOT / "dags"))
    finally:
        patches.undo()
    return bag, attempts


def test_every_dag_imports_without_errors(parsed: tuple[Any, list[str]]) -> None:
    bag, _ = parsed
    assert bag.import_errors == {}
    assert set(bag.dag_ids) == DAG_IDS


def test_parsing_makes_no_database_or_connection_call(parsed: tuple[Any, list[str]]) -> None:
    _, attempts = parsed
    assert attempts == []


@pytest.mark.parametrize("dag_id", sorted(DAG_IDS))
def test_dag_has_docs_tags_owner_and_retries(parsed: tuple[Any, list[str]], dag_id: str) -> None:
    dag = parsed[0].dags[dag_id]
    assert dag.doc_md and len(dag.doc_md) > 200
    assert "wiredesk" in dag.tags
    for task in dag.tasks:
        assert task.doc_md, f"{task.task_id} has no doc_md"
        assert task.owner == "wiredesk"
        assert task.retries >= 2, f"{task.task_id} is not retried"
        assert task.retry_exponential_backoff


def test_nightly_dag_gives_each_night_a_real_window(parsed: tuple[Any, list[str]]) -> None:
    from airflow.sdk import CronDataIntervalTimetable

    dag = parsed[0].dags["wire_ingest"]
    assert isinstance(dag.timetable, CronDataIntervalTimetable)
    assert dag.catchup is False and dag.max_active_runs == 1
    assert dag.task_dict["fetch"].pool == "wiredesk_fetch"
    assert [asset.name for asset in dag.task_dict["publish"].outlets] == ["wiredesk_articles"]


@pytest.mark.parametrize("dag_id", sorted(DAG_IDS))
def test_every_task_has_a_timeout_and_alerts_when_it_fails(parsed: tuple[Any, list[str]], dag_id: str) -> None:
    from pipeline.alerts import AlertNotifier

    dag = parsed[0].dags[dag_id]
    assert dag.description
    for task in dag.tasks:
        assert task.execution_timeout is not None, f"{task.task_id} has no execution_timeout"
        callbacks = task.on_failure_callback
        callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
        assert [type(callback) for callback in callbacks] == [AlertNotifier], task.task_id


def test_the_nightly_dag_has_a_deadline(monkeypatch: pytest.MonkeyPatch, airflow_db: Any) -> None:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk.definitions.deadline import DeadlineReference

    monkeypatch.setenv("WIREDESK_DEADLINE_MINUTES", "300")
    dag: Any = DagBag(dag_folder=str(ROOT / "dags")).dags["wire_ingest"]
    [deadline] = dag.deadline
    assert deadline.reference == DeadlineReference.DAGRUN_QUEUED_AT
    assert deadline.interval == timedelta(minutes=300)
    assert deadline.callback.path == "pipeline.alerts.deadline_missed"
