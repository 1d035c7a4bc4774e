"""What the command groups share: the console, clean failures, progress bars, options and opening the warehouse."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
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
from pipeline.errors import ConfigError, TransientError
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


@contextmanager
def failing_cleanly() -> Iterator[None]:
    """Turn configuration, connection and transient errors into one red line and an exit status (2, or 75 to say
    that a retry may succeed) instead of a traceback."""
    try:
        yield
    except ConfigError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error
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
