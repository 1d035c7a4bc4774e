"""`wiredesk dedupe`: group copies of the same wire story into stories, in the warehouse or offline."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pipeline import run
from pipeline.cli.common import JsonOption, current_warehouse, err, failing_cleanly, progress, utc
from pipeline.settings import Settings

app = typer.Typer()


@app.command("dedupe")
def dedupe_command(
    since: Annotated[
        datetime | None, typer.Option("--since", help="Only articles published at or after this time (UTC if no zone).")
    ] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl", help='Cluster this file\'s {"id", "source", "title", "body", "published_at"} lines offline.'
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Group copies of the same wire story into stories: in the warehouse, or offline with --jsonl."""
    if jsonl is not None:
        _dedupe_offline(jsonl)
        return
    settings = Settings.from_env()
    with failing_cleanly():
        engine = current_warehouse(settings)
        run.start_workers()
        with progress() as bar:
            task = bar.add_task("dedupe", total=None)
            run_id, counts = run.dedupe(engine, since=utc(since), on_progress=lambda done: bar.advance(task, done))
    err.print(f"run {run_id}: {counts.summary()}")
    if as_json:
        print(json.dumps({"run_id": run_id, "command": "dedupe", "stories": asdict(counts)}))


def _dedupe_offline(path: Path) -> None:
    with failing_cleanly():
        found = run.dedupe_file(path)
    for message in found.skipped:
        err.print(f"skipped {escape(message)}")
    for assignment in found.assignments:
        print(json.dumps({"id": assignment.id, "story_id": assignment.story_id, "canonical": assignment.canonical}))
    stories = len({assignment.story_id for assignment in found.assignments})
    err.print(f"copies {len(found.assignments)} · stories {stories} · skipped {len(found.skipped)}")
    if found.skipped:
        raise typer.Exit(1)
