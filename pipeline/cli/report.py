"""`wiredesk report`: the recent nights as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pipeline import run
from pipeline.cli.common import current_warehouse, err, failing_cleanly
from pipeline.settings import Settings

app = typer.Typer()


@app.command("report")
def report_command(
    output: Annotated[Path, typer.Option("--output", help="Where to write the page.")] = Path("wiredesk-report.html"),
    nights: Annotated[int, typer.Option("--nights", min=1, help="How many nights before now to cover.")] = 14,
) -> None:
    """Write one HTML page of the recent nights: articles per outlet and night, the share of copies, rejects by
    reason, and the biggest stories with their copies."""
    with failing_cleanly():
        written = run.write_report(current_warehouse(Settings.from_env()), output, nights)
    err.print(f"wrote {escape(str(written))}")
