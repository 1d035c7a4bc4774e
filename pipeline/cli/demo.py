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
    """Set up the warehouse, load the bundled sample pages, and show the story their copies make."""
    settings = Settings.from_env()
    with failing_cleanly():
        sources = load_sources(settings.sources_path)
        engine = warehouse(settings)
        err.print(f"warehouse: {escape(run.describe(engine.url))}")
        run.upgrade(engine)
        loaded = ingest_with_progress(engine, [resource_dir("samples")], sources, run.InputOptions(), "demo")
        err.print(loaded.summary())
        answer = run.ask(engine, "copies_of_the_biggest_story")
    if answer.rows:
        outlets = len({row[answer.columns.index("outlet")] for row in answer.rows})
        print(f"\nThe biggest story in the warehouse: {len(answer.rows)} copies of one wire story, {outlets} outlets\n")
    print(_table(answer.columns, answer.rows))
    print(f"\nThe query ({answer.path}):\n\n{answer.sql}")
    print('Query it yourself: psql "$(wiredesk db url)"')


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Rows laid out as psql's aligned table: a header, a rule, one line per row."""
    cells = [list(columns), *([_cell(value) for value in row] for row in rows)]
    widths = [max(len(line[index]) for line in cells) for index in range(len(columns))]
    lines = [" " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) for line in cells]
    lines.insert(1, "-" + "-+-".join("-" * width for width in widths) + "-")
    return "\n".join(line.rstrip() for line in lines) if rows else "(0 rows)"


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "{" + ",".join(value) + "}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return "" if value is None else str(value)
