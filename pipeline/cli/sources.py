"""`wiredesk sources check`: validate the sources file and ask each feed, sitemap and listing page once."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from pipeline import run
from pipeline.cli.common import check_source, err, failing_cleanly
from pipeline.settings import Settings
from pipeline.sources import load_sources

app = typer.Typer(help="The sources file and what its sources answer.", no_args_is_help=True)


@app.command("check")
def check_command(
    slug: Annotated[str | None, typer.Argument(help="The one source to check (default: every source).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per document instead of a table.")] = False,
) -> None:
    """Validate the sources file, then ask each feed, sitemap and listing page once: status, items listed, newest
    item. Exit status 1 when one failed or listed nothing, 2 when the file is invalid."""
    settings = Settings.from_env()
    with failing_cleanly():
        sources = load_sources(settings.sources_path)
        check_source(slug, sources)
    selected = [slug] if slug else sorted(sources)
    err.print(f"{settings.sources_path}: {len(sources)} source(s), valid; asking {', '.join(selected)}")
    probes = []
    console = Console(soft_wrap=True, highlight=False)
    with failing_cleanly():
        for probe in run.probe_sources(sources, selected):
            probes.append(probe)
            if as_json:
                print(json.dumps(asdict(probe) | {"ok": probe.ok}, default=datetime.isoformat, ensure_ascii=False))
            else:
                console.print(_line(probe))
    failed = [probe for probe in probes if not probe.ok]
    if failed:
        err.print(f"[red]{len(failed)} of {len(probes)} failed or listed nothing[/red]")
        raise typer.Exit(1)
    err.print(f"all {len(probes)} answered with items")


def _line(probe: run.Probe) -> str:
    """One line per document, never wrapped, so its URL can be copied: what it answered, or why it failed."""
    head = f"{probe.source} {probe.kind} {escape(probe.url)}"
    if probe.failure:
        status = f"HTTP {probe.status}: " if probe.status else ""
        return f"[red]FAILED[/red] {head}: {status}{escape(probe.failure)}"
    newest = probe.newest.strftime("%Y-%m-%d %H:%M UTC") if probe.newest else "no dates"
    return f"[green]ok[/green] {head}: HTTP {probe.status}, {probe.items} items, newest {newest}"
