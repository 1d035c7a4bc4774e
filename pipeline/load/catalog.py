"""The warehouse as users see it: read-only roles and the data dictionary written from the schema's comments."""

from __future__ import annotations

from contextlib import closing
from itertools import groupby

import sqlalchemy as sa
from psycopg2 import sql

from pipeline.load.db import sql_file


def grant_reader(engine: sa.Engine, role: str, login: bool = False) -> bool:
    """Create `role` if it does not exist and give it read-only access to the warehouse; True if created."""
    connection = engine.raw_connection()
    try:
        with closing(connection.cursor()) as cursor:
            cursor.execute(sql_file("roles/role_exists.sql"), {"role": role})
            created = cursor.fetchone() is None
            names = {"role": sql.Identifier(role), "login": sql.SQL("LOGIN" if login else "NOLOGIN")}
            if created:
                cursor.execute(sql.SQL(sql_file("roles/create_role.sql")).format(**names))
            cursor.execute(sql.SQL(sql_file("roles/grant_reader.sql")).format(**names))
        connection.commit()
    finally:
        connection.close()
    return created


def schema_markdown(engine: sa.Engine) -> str:
    """docs/schema.md: every table and view of the warehouse with its columns, from their COMMENTs."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql_file("docs/columns.sql")).all()
    lines = [
        "# The wiredesk warehouse",
        "",
        "Generated from the schema's comments by `wiredesk db docs`; do not edit by hand.",
        "In psql, `\\d+ wiredesk.NAME` shows the same.",
        "yoyo's tables, which record the migrations applied, live apart in the `wiredesk_migrations` schema.",
    ]
    for (name, kind, comment), columns in groupby(rows, key=lambda row: (row[0], row[1], row[2])):
        lines += [
            "",
            f"## {name} ({kind})",
            "",
            comment or "",
            "",
            "| column | type | meaning |",
            "| --- | --- | --- |",
        ]
        lines += [f"| `{row[3]}` | {row[4]} | {_cell(row[5])} |" for row in columns]
    return "\n".join(lines) + "\n"


_TABLE_HEADER = ("| column | type | meaning |", "| --- | --- | --- |")


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")
