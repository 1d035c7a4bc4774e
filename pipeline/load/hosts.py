"""Hosts that asked (Retry-After) not to be asked until a time: kept in `host_holds`, so no later run asks sooner."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa

from pipeline.load.db import sql_file


def host_holds(engine: sa.Engine) -> dict[str, datetime]:
    """The hosts still asking not to be asked, with the time they may be asked again."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql_file("fetch/host_holds.sql"))
        return {host: until for host, until in rows}


def hold_hosts(engine: sa.Engine, run_id: int, holds: Mapping[str, datetime]) -> None:
    """Record that each host asked not to be asked before its time (the later time wins)."""
    rows = [{"host": host, "held_until": until, "run_id": run_id} for host, until in holds.items()]
    if rows:
        with engine.begin() as connection:
            connection.exec_driver_sql(sql_file("fetch/hold_host.sql"), rows)
