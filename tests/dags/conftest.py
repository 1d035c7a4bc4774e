"""Airflow for the DAG tests: a metadata database of its own, this project's DAGs, and a warehouse connection.

Airflow reads its configuration when first imported, so the environment is set here, before any test module
imports it.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipeline.load import db
from tests.dags.mail import Mailbox

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="wiredesk-airflow-"))

os.environ.update(
    {
        "AIRFLOW_HOME": str(AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{AIRFLOW_HOME / 'airflow.db'}",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        # dag.test() hands the run a DAG whose deadline alerts were never stored, and a run that succeeds then fails
        # looking them up: the deadline is tested apart (tests/dags/test_alerts.py), through the stored DAG.
        "WIREDESK_DEADLINE_MINUTES": "off",
    }
)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """The Airflow metadata database, migrated once for the session."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("airflow")), "db", "migrate"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return AIRFLOW_HOME


@pytest.fixture
def warehouse_connection(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> sa.Engine:
    """The emptied test warehouse, reachable from tasks as the Airflow connection `wiredesk_warehouse`."""
    monkeypatch.setenv("AIRFLOW_CONN_WIREDESK_WAREHOUSE", db.airflow_connection_json(engine.url))
    return engine


def dag_named(dag_id: str) -> Any:
    """The DAG `dag_id`, parsed from dags/ the way the DAG processor parses it."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert not bag.import_errors, bag.import_errors
    return bag.dags[dag_id]


@pytest.fixture
def wiredesk_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The variables the tasks read: a sources file (written by the test) and the data folder."""
    sources = tmp_path / "sources.toml"
    monkeypatch.setenv("WIREDESK_SOURCES", str(sources))
    monkeypatch.setenv("WIREDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WIREDESK_ALLOW_PRIVATE_HOSTS", "1")
    yield sources


class Records(logging.Handler):
    """The log records a handler on the `pipeline` logger saw: what the tasks' own code logged."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self, level: int = logging.INFO) -> list[str]:
        """The messages at `level` or above."""
        return [record.getMessage() for record in self.records if record.levelno >= level]

    def at(self, level: int) -> list[str]:
        """The messages at exactly `level`."""
        return [record.getMessage() for record in self.records if record.levelno == level]


@pytest.fixture
def pipeline_log() -> Iterator[Records]:
    """What wiredesk logs at INFO and above while the test runs (the task runner's own output is not captured
    reliably across tests)."""
    logger = logging.getLogger("pipeline")
    handler, level = Records(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A mail server on 127.0.0.1, which the tasks' alerts reach as the Airflow connection `wiredesk_alerts`."""
    with Mailbox() as box:
        monkeypatch.setenv("AIRFLOW_CONN_WIREDESK_ALERTS", box.connection_json())
        yield box
