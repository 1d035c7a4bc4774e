"""Precomputed summaries (materialized views) that analysts' queries read, refreshed after each run."""

from __future__ import annotations

import sqlalchemy as sa

from pipeline.load.db import sql_file


def refresh_summaries(engine: sa.Engine) -> None:
    """Recompute every materialized view from the current stories and articles."""
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("summaries/refresh.sql"))
