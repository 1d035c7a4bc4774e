"""What the command groups share: the console, clean failures, progress bars, options and opening the warehouse."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from pipeline import run
from pipeline.errors import ConfigError, NothingLanded, TransientError
from pipeline.settings import Settings
from pipeline.sources import Source, load_sources

# Messages name files and URLs: never wrap them, so they can be copied and grepped.
err = Console(stderr=True, soft_wrap=True)

Paths = Annotated[
    list[Path], typer.Argument(help="Files or folders of .txt, .html, .html.gz, .jsonl or .warc(.gz) inputs.")
]
SourceOption = Annotated[str | None, typer.Option("--source", help="Source slug for inputs that do not say.")]
UrlOption = Annotated[str | None, typer.Option("--url", help="URL of the page, for a single input file.")]
BatchOption = Annotated[
    int, typer.Option("--batch-size", min=1, help="Inputs per transaction: a batch lands whole or not at all.")
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the run's summary as one JSON object on standard output.")
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Exit with status 1 when any input was rejected (the run still lands).")
]


class LogFormat(StrEnum):
    """How log lines are written on standard error."""

    TEXT = "text"
    JSON = "json"


def configure_logging(verbosity: int, log_format: LogFormat) -> None:
    """Send wiredesk's log lines to standard error: INFO and up by default, DEBUG with -v, WARNING and up with -q."""
    level = logging.DEBUG if verbosity > 0 else logging.INFO if verbosity == 0 else logging.WARNING
    handler: logging.Handler
    if log_format is LogFormat.JSON:
        handler = logging.StreamHandler()
        handler.setFormatter(_JsonLines())
    else:
        handler = _ConsoleLines()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("pipeline")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


class _ConsoleLines(logging.Handler):
    """Log lines through the console the progress bars use, so a line never tears a bar, and never wrapped."""

    def emit(self, record: logging.LogRecord) -> None:
        err.print(escape(self.format(record)), highlight=False)


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        line = {"time": moment, "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        return json.dumps(line, ensure_ascii=False)


def report(result: run.RunResult, command: str, *, as_json: bool, strict: bool) -> None:
    """Print a run's summary (a line on standard error, and with `as_json` a JSON object on standard output); exit
    with status 1 under `strict` when inputs were rejected."""
    err.print(result.summary())
    if as_json:
        summary = {"run_id": result.run_id, "command": command}
        print(json.dumps(summary | {"counts": asdict(result.counts), "stories": asdict(result.stories)}))
    if strict and result.counts.rejected:
        err.print(f"[red]{result.counts.rejected} input(s) rejected[/red] (--strict): see `wiredesk runs`")
        raise typer.Exit(1)


@contextmanager
def failing_cleanly() -> Iterator[None]:
    """Turn configuration, connection and transient errors, and runs that landed nothing, into one red line and an
    exit status (2; 1 for a run that landed nothing; 75 to say that a retry may succeed) instead of a traceback."""
    try:
        yield
    except ConfigError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error
    except NothingLanded as error:
        err.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(1) from error
    except sa.exc.OperationalError as error:
        err.print(f"[red]error:[/red] cannot reach the warehouse: {escape(str(error.orig))}")
        raise typer.Exit(2) from error
    except TransientError as error:
        # EX_TEMPFAIL: the run is recorded as failed and a retry may succeed.
        err.print(f"[red]error (try again later):[/red] {escape(str(error))}")
        raise typer.Exit(75) from error


def warehouse(settings: Settings) -> sa.Engine:
    """An engine on the warehouse, whatever its schema (for commands that create or upgrade it)."""
    return run.open_warehouse(run.warehouse_url(settings), current=False)


def current_warehouse(settings: Settings) -> sa.Engine:
    """An engine on the warehouse; an error when its schema lacks migrations."""
    return run.open_warehouse(run.warehouse_url(settings))


def sources_and_warehouse(settings: Settings, source: str | None) -> tuple[dict[str, Source], sa.Engine]:
    """The sources file (with `source` checked to be in it) and an engine on the current warehouse."""
    sources = load_sources(settings.sources_path)
    check_source(source, sources)
    return sources, current_warehouse(settings)


def check_source(slug: str | None, sources: Mapping[str, Source]) -> None:
    """ConfigError when `slug` is given and not in the sources file."""
    if slug is not None and slug not in sources:
        raise ConfigError(f"--source {slug!r}: not in the sources file (known: {', '.join(sorted(sources))})")


def utc(moment: datetime | None) -> datetime | None:
    """`moment` with UTC as its zone when it names none."""
    return moment.replace(tzinfo=moment.tzinfo or UTC) if moment else None


def listed(items: list[str]) -> str:
    """`: a, b, c` for a message's tail, or nothing when there are no items."""
    return f": {', '.join(items)}" if items else ""


def progress_total(files: list[Path]) -> int | None:
    """The number of inputs to show a bar for, or None for a running count."""
    # A dump holds an unknown number of documents: show a running count instead of a bar.
    return None if any(path.name.endswith((".jsonl", ".warc", ".warc.gz")) for path in files) else len(files)


def progress() -> Progress:
    """A progress display on stderr that disappears when done."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
