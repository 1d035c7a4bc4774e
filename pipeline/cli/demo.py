"""`wiredesk demo`: set up the warehouse, load the bundled samples, and show what landed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import typer
from rich.markup import escape

from pipeline import run
from pipeline.cli.common import err, failing_cleanly, warehouse
from pipeline.cli.ingest import ingest_with_progress
from pipeline.resources import resource_dir
from pipeline.settings import Settings
from pipeline.sources import load_sources

app = typer.Typer()


@app.command("demo")
def demo_command() -> None:
    """Set up the warehouse, load the bundled sample pages, and show what landed."""
    settings = Settings.from_env()
    with failing_cleanly():
        sources = load_sources(settings.sources_path)
        engine = warehouse(settings)
        err.print(f"warehouse: {escape(run.describe(engine.url))}")
        run.upgrade(engine)
        ingest_with_progress(engine, [resource_dir("samples")], sources, run.InputOptions(), "demo")
        found = run.example_query(engine, "wire_stories_by_agency")
    print(f"\nExample query (sql/queries/wire_stories_by_agency.sql):\n\n{found.sql}")
    print(_records(found.columns, found.rows))
    print('\nQuery it yourself: psql "$(wiredesk db url)"')


def _records(columns: list[str], rows: Sequence[Any]) -> str:
    """Rows laid out one field per line, like psql's expanded display (`\\x`)."""
    width = max(map(len, columns), default=0)
    blocks = []
    for number, row in enumerate(rows, start=1):
        lines = [f"-[ RECORD {number} ]" + "-" * max(0, width - 8)]
        lines += [f"{column.ljust(width)} | {_cell(value)}" for column, value in zip(columns, row, strict=True)]
        blocks.append("\n".join(lines))
    return "\n".join(blocks) if blocks else "(0 rows)"


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return "{" + ",".join(value) + "}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return "" if value is None else str(value)
