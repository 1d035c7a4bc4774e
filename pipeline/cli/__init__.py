"""The `wiredesk` command line: one module per command group, each calling `pipeline.run` and nothing below it.

Exit status: 0 when the command did its job (a run that rejected some inputs included, unless `--strict`); 1 when
an ingest or import landed nothing (no input found, or every one rejected), `--strict` found rejected inputs,
`extract` rejected an input, `dedupe --jsonl` skipped a line, or `sources check` found a feed, sitemap or listing
page that failed or listed nothing; 2 for a configuration or usage error, or an
unreachable warehouse; 75 when a retry may succeed (network, warehouse lost, a source whose every request failed).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

from pipeline.cli import boilerplate, db, dedupe, demo, extract, imports, ingest, report, runs, sources
from pipeline.cli.common import LogFormat, configure_logging

app = typer.Typer(help="Wire stories from news outlets into a PostgreSQL warehouse.", no_args_is_help=True)


def _print_version(asked: bool) -> None:
    if asked:
        try:
            print(f"wiredesk {version('wiredesk')}")
        except PackageNotFoundError:
            print("wiredesk (not installed: run from a source checkout)")
        raise typer.Exit()


@app.callback()
def main(
    _version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="Log more (DEBUG).")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Log warnings and errors only.")] = False,
    log_format: Annotated[
        LogFormat, typer.Option("--log-format", help="Log lines as text, or as one JSON object each.")
    ] = LogFormat.TEXT,
) -> None:
    """Wire stories from news outlets into a PostgreSQL warehouse."""
    configure_logging(-1 if quiet else verbose, log_format)


app.add_typer(ingest.app)
app.add_typer(imports.app, name="import")
app.add_typer(extract.app)
app.add_typer(dedupe.app)
app.add_typer(runs.app)
app.add_typer(sources.app, name="sources")
app.add_typer(report.app)
app.add_typer(demo.app)
app.add_typer(db.app, name="db")
app.add_typer(boilerplate.app, name="boilerplate")
