"""Ingest runs and sources in the warehouse: every command that loads data leaves a row with its counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from pipeline.fetch.responses import Validators
from pipeline.load.db import os_user, sql_file
from pipeline.sources import Source


def sync_sources(engine: sa.Engine, sources: Iterable[Source]) -> None:
    """Insert or refresh the sources table from the sources file."""
    rows = [
        {
            "slug": source.slug,
            "name": source.name,
            "domain": source.domain,
            "timezone": source.timezone.key,
            "language": source.language,
        }
        for source in sources
    ]
    if not rows:
        return
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("load/upsert_source.sql"), rows)


@dataclass(frozen=True, slots=True)
class Scheduled:
    """The scheduler's DAG run and task that started an ingest run, and the time window the run covers."""

    dag_id: str
    dag_run_id: str
    task_id: str
    """The task's id, with its map index for a mapped task: `fetch[2]`."""
    window_start: datetime | None = None
    window_end: datetime | None = None


def start_run(engine: sa.Engine, command: str, inputs: Iterable[str], scheduled: Scheduled | None = None) -> int:
    """Record the start of a run (by the scheduler, when `scheduled` is given) and return its id."""
    params = {
        "command": command,
        "inputs": list(inputs),
        "started_by": os_user(),
        "dag_id": scheduled.dag_id if scheduled else None,
        "dag_run_id": scheduled.dag_run_id if scheduled else None,
        "task_id": scheduled.task_id if scheduled else None,
        "window_start": scheduled.window_start if scheduled else None,
        "window_end": scheduled.window_end if scheduled else None,
    }
    with engine.begin() as connection:
        run_id = connection.exec_driver_sql(sql_file("load/start_run.sql"), params).scalar_one()
    return int(run_id)


def finish_run(engine: sa.Engine, run_id: int, error: str | None = None) -> None:
    """Mark the run succeeded, or failed with `error`."""
    params = {"run_id": run_id, "status": "failed" if error else "succeeded", "error": error}
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("load/finish_run.sql"), params)


def stored_urls(engine: sa.Engine, urls: list[str], canonical: list[str]) -> set[str]:
    """Which of `urls` (or of their `canonical` forms) the warehouse has already."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql_file("fetch/stored_urls.sql"), {"urls": urls, "canonical": canonical})
        return {row[0] for row in rows}


def add_fetch_counts(engine: sa.Engine, run_id: int, *, listed: int, skipped: int) -> None:
    """Add what discovery listed, and how much of it was already stored, to the run's row."""
    with engine.begin() as connection:
        params = {"run_id": run_id, "listed": listed, "skipped": skipped}
        connection.exec_driver_sql(sql_file("fetch/add_fetch_counts.sql"), params)


def stored_validators(engine: sa.Engine, urls: list[str]) -> dict[str, Validators]:
    """For each URL fetched before, the validators of its latest stored answer."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql_file("fetch/stored_validators.sql"), {"urls": urls})
        return {url: Validators(etag, last_modified, sha256) for url, etag, last_modified, sha256 in rows}


def stored_payloads(engine: sa.Engine, hashes: list[str]) -> set[tuple[str, str | None]]:
    """The (payload sha256, URL) pairs the warehouse holds among `hashes`: documents' and their articles' URLs."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql_file("load/stored_payloads.sql"), {"hashes": hashes})
        return {(sha256, url) for sha256, url in rows}
