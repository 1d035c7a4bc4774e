"""Web archives an import streams (CC-NEWS WARC files), kept in `archive_reads`: one read to the end is not read
again, one that broke off is."""

from __future__ import annotations

import sqlalchemy as sa

from pipeline.load.db import sql_file


def archives_read(engine: sa.Engine, urls: list[str]) -> set[str]:
    """Which of the archives at `urls` an import has read to the end."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql_file("load/archives_read.sql"), {"urls": urls})
        return {url for (url,) in rows}


def start_archive_read(engine: sa.Engine, run_id: int, url: str) -> None:
    """Record that run `run_id` begins reading the archive at `url`."""
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("load/start_archive_read.sql"), {"url": url, "run_id": run_id})


def finish_archive_read(engine: sa.Engine, url: str, documents: int, error: str | None) -> None:
    """Record that the archive at `url` was read to the end (`error` None) or broke off with `error`."""
    params = {"url": url, "documents": documents, "error": error}
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("load/finish_archive_read.sql"), params)
