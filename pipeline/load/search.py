"""Full-text search documents, built after loading so the bulk load does not pay for the GIN index."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from pipeline.load.db import sql_file

DEFAULT_BATCH_SIZE = 5000


def index_search(
    engine: sa.Engine, batch_size: int = DEFAULT_BATCH_SIZE, on_progress: Callable[[int], None] = lambda done: None
) -> int:
    """Build the search document of every article that lacks a current one; return how many were built."""
    total = 0
    while True:
        with engine.begin() as connection:
            done = connection.exec_driver_sql(sql_file("search/index_articles.sql"), {"limit": batch_size}).rowcount
        if done == 0:
            return total
        total += done
        on_progress(done)
