"""`wiredesk runs`: the recent runs and what each did, as the warehouse recorded them."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline import run
from pipeline.cli.common import current_warehouse, failing_cleanly
from pipeline.settings import Settings

app = typer.Typer()


@app.command("runs")
def runs_command(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many of the most recent runs.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per run instead of a table.")] = False,
) -> None:
    """List the most recent runs, newest first: status, counts, and why a run failed or was abandoned."""
    with failing_cleanly():
        records = run.recent_runs(current_warehouse(Settings.from_env()), limit)
    if as_json:
        for record in records:
            print(json.dumps(asdict(record), default=datetime.isoformat, ensure_ascii=False))
        return
    console = Console(soft_wrap=True)
    console.print(_table(records))
    # Errors are whole lines under the table, never wrapped into a column, so they can be read and copied.
    for record in records:
        if record.error:
            console.print(f"run {record.id} {record.status}: {escape(record.error)}", highlight=False)


def _table(records: list[run.RunRecord]) -> Table:
    table = Table("run", "command", "status", "started", "took", "read", "new", "rejected", "in stories")
    for record in records:
        took = f"{(record.finished_at - record.started_at).total_seconds():.0f} s" if record.finished_at else ""
        table.add_row(
            str(record.id),
            record.command + (f" {record.task_id}" if record.task_id else ""),
            record.status,
            record.started_at.strftime("%Y-%m-%d %H:%M"),
            took,
            str(record.read),
            str(record.loaded),
            str(record.rejected),
            str(record.deduped),
        )
    return table
