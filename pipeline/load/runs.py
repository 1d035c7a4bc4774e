"""Ingest runs and sources in the warehouse: every command that loads data leaves a row with its counts."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from pipeline.fetch.responses import Validators
from pipeline.load.db import os_user, sql_file
from pipeline.sources import Source

log = logging.getLogger(__name__)


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


RUN_LOCKS = 1_464_099_001
"""Advisory lock class of live runs: a run's process holds (RUN_LOCKS, run id) while it runs."""
JOB_LOCKS = 1_464_099_002
"""Advisory lock class of the jobs that must not run twice at once."""
STORIES_JOB = 1
"""Placing articles in stories and publishing them (`exclusive`)."""


def start_run(engine: sa.Engine, command: str, inputs: Iterable[str], scheduled: Scheduled | None = None) -> int:
    """Record the start of a run (by the scheduler, when `scheduled` is given) and return its id; the run is not
    held alive (see `live_run`)."""
    with engine.begin() as connection:
        return _insert_run(connection, command, inputs, scheduled)


@contextmanager
def live_run(
    engine: sa.Engine, command: str, inputs: Iterable[str], scheduled: Scheduled | None = None
) -> Iterator[int]:
    """Record a run for as long as the block lasts, and yield its id: runs whose process has died are marked
    abandoned first; the run is held alive by an advisory lock on a connection of its own; it ends succeeded, or
    failed with the block's error."""
    abandon_dead_runs(engine)
    lease = engine.connect()
    try:
        run_id = _insert_run(lease, command, inputs, scheduled)
        lease.exec_driver_sql(sql_file("load/hold_run.sql"), {"lock_class": RUN_LOCKS, "run_id": run_id})
        lease.commit()
        try:
            yield run_id
        except BaseException as error:
            # When the warehouse is gone too, the next run to start marks this one abandoned.
            with suppress(sa.exc.SQLAlchemyError):
                finish_run(engine, run_id, error=f"{type(error).__name__}: {error}")
            raise
        finish_run(engine, run_id)
    finally:
        # Closing the connection for good (not back to the pool) releases the run's lock.
        lease.invalidate()
        lease.close()


def abandon_dead_runs(engine: sa.Engine) -> list[int]:
    """Mark abandoned the runs still `running` whose process no longer holds them alive; their ids."""
    with engine.begin() as connection:
        rows = connection.exec_driver_sql(sql_file("load/abandon_runs.sql"), {"lock_class": RUN_LOCKS}).all()
    for run_id, command, started_by in rows:
        log.warning(
            "run %d (%s, by %s) abandoned: its process ended without recording how", run_id, command, started_by
        )
    return [row[0] for row in rows]


@contextmanager
def exclusive(engine: sa.Engine, job: int, name: str) -> Iterator[None]:
    """Run the block while no other process runs job `job` (its `name` for messages): wait for it otherwise."""
    holder = engine.connect()
    try:
        params = {"lock_class": JOB_LOCKS, "job": job}
        if not holder.exec_driver_sql(sql_file("load/exclusive.sql"), params).scalar_one():
            log.info("waiting for another process to finish %s", name)
            holder.exec_driver_sql(sql_file("load/exclusive_wait.sql"), params)
        holder.commit()
        yield
    finally:
        # Closing the connection for good (not back to the pool) releases the lock.
        holder.invalidate()
        holder.close()


def _insert_run(connection: sa.Connection, command: str, inputs: Iterable[str], scheduled: Scheduled | None) -> int:
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
    return int(connection.exec_driver_sql(sql_file("load/start_run.sql"), params).scalar_one())


def finish_run(engine: sa.Engine, run_id: int, error: str | None = None) -> None:
    """Mark the run succeeded, or failed with `error`."""
    params = {"run_id": run_id, "status": "failed" if error else "succeeded", "error": error}
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("load/finish_run.sql"), params)


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One row of `ingest_runs`: a run and what it did."""

    id: int
    command: str
    status: str
    """running, succeeded, failed or abandoned."""
    started_at: datetime
    finished_at: datetime | None
    started_by: str
    task_id: str | None
    """The Airflow task that ran it, with its map index, when the scheduler did."""
    inputs: list[str]
    read: int
    loaded: int
    updated: int
    unchanged: int
    rejected: int
    stored: int
    skipped: int
    deduped: int
    """Articles placed in stories."""
    new_stories: int
    error: str | None


def recent_runs(engine: sa.Engine, limit: int) -> list[RunRecord]:
    """The `limit` most recent runs, newest first."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql_file("load/recent_runs.sql"), {"limit": limit}).all()
    return [RunRecord(*row) for row in rows]


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


@dataclass(frozen=True, slots=True)
class DagRunTotals:
    """What an Airflow DAG run did, over every task and try."""

    listed: int
    """Article URLs its feeds and sitemaps listed."""
    articles_new: int
    articles_updated: int
    rejected: int
    placed: int
    """Articles placed in stories."""
    new_stories: int
    sources: int
    """Sources its tasks touched."""
    sources_unreachable: int
    """Of those, the sources whose every request failed in their latest try."""

    def summary(self) -> str:
        """One line for people: `listed 12 · new 9 · updated 0 · rejected 3 · placed 9 · new stories 7 · sources 3
        (1 unreachable)`."""
        return (
            f"listed {self.listed} · new {self.articles_new} · updated {self.articles_updated} · rejected "
            f"{self.rejected} · placed {self.placed} · new stories {self.new_stories} · sources {self.sources} "
            f"({self.sources_unreachable} unreachable)"
        )


def dag_run_totals(engine: sa.Engine, dag_id: str, dag_run_id: str) -> DagRunTotals:
    """What the DAG run `dag_run_id` of `dag_id` did, from its runs' rows."""
    with engine.connect() as connection:
        row = connection.exec_driver_sql(
            sql_file("load/dag_run_totals.sql"), {"dag_id": dag_id, "dag_run_id": dag_run_id}
        ).one()
    return DagRunTotals(*(int(value) for value in row))
