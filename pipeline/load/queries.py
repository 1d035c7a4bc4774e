"""The analysts' example questions in `sql/queries/`, asked of the warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pipeline.load import db


@dataclass(frozen=True, slots=True)
class Answer:
    """One example query and what the warehouse returned for it."""

    path: str
    """The query's file, relative to the project (`sql/queries/NAME.sql`)."""
    sql: str
    """The query's text, comment included, as an analyst would paste it into psql."""
    columns: tuple[str, ...]
    """Column names, in order."""
    rows: tuple[tuple[Any, ...], ...]
    """The rows, in the query's order."""


def ask(engine: sa.Engine, name: str) -> Answer:
    """Run `sql/queries/NAME.sql` on the warehouse and return its text with the columns and rows it gave."""
    relative = f"queries/{name}.sql"
    sql = db.sql_file(relative)
    with engine.connect() as connection:
        # The driver reads `%` as a parameter marker; a query's `LIKE 'x%'` must reach Postgres as written.
        result = connection.exec_driver_sql(sql.replace("%", "%%"))
        columns, rows = tuple(result.keys()), tuple(tuple(row) for row in result)
    return Answer(f"sql/{relative}", sql, columns, rows)
