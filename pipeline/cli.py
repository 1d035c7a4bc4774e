"""The `wiredesk` command line: set up the warehouse, ingest pages, extract offline, run the demo."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

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

from pipeline.cli_boilerplate import boilerplate_app
from pipeline.cli_db import db_app
from pipeline.dedupe import workers
from pipeline.dedupe.offline import cluster, parse_copy
from pipeline.errors import ConfigError, TransientError
from pipeline.fetch.files import InputOptions, expand_paths, read_documents
from pipeline.fetch.web import Window
from pipeline.load import db
from pipeline.load.queries import ask
from pipeline.record import Article, Reject, Stored, Unchanged
from pipeline.resources import resource_dir
from pipeline.run import DEFAULT_BATCH_SIZE, dedupe, extract_all, fetch, ingest, reextract
from pipeline.settings import Settings
from pipeline.sources import Source, load_sources

app = typer.Typer(help="Wire stories from news outlets into a PostgreSQL warehouse.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(boilerplate_app, name="boilerplate")
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
def _failing_cleanly() -> Iterator[None]:
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


def _engine(settings: Settings) -> sa.Engine:
    return db.create_engine(db.warehouse_url(settings))


def _sources_and_warehouse(settings: Settings, source: str | None) -> tuple[dict[str, Source], sa.Engine]:
    """The sources file (with `source` checked to be in it) and an engine on the current warehouse."""
    sources = load_sources(settings.sources_path)
    _check_source(source, sources)
    return sources, _current_warehouse(settings)


def _current_warehouse(settings: Settings) -> sa.Engine:
    """An engine on the warehouse; an error when its schema lacks migrations."""
    engine = _engine(settings)
    db.require_current_schema(engine)
    return engine


@app.command("ingest")
def ingest_command(
    paths: Paths, source: SourceOption = None, url: UrlOption = None, batch_size: BatchOption = DEFAULT_BATCH_SIZE
) -> None:
    """Extract the articles in PATH... and load them into the warehouse as one run."""
    _ingest_command("ingest", paths, InputOptions(source, url), batch_size)


@app.command("fetch")
def fetch_command(
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Source slug to fetch (repeat for several; default all).")
    ] = None,
    since: Annotated[
        datetime | None, typer.Option("--since", help="Window start for sitemap items (UTC if no zone).")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option("--until", help="Window end for sitemap items (UTC if no zone).")
    ] = None,
    feed: Annotated[
        str | None, typer.Option("--feed", help="Fetch this one feed instead (needs one --source).")
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask again for stored pages too (conditional GET: 304s cost nothing).")
    ] = False,
    fetch_only: Annotated[
        bool, typer.Option("--fetch-only", help="Store the pages without extracting them (see `reextract`).")
    ] = False,
    batch_size: BatchOption = DEFAULT_BATCH_SIZE,
) -> None:
    """Fetch what the sources' feeds and sitemaps list and is not stored yet, then extract and load it."""
    settings = Settings.from_env()
    with _failing_cleanly():
        sources = load_sources(settings.sources_path)
        selected = source or sorted(sources)
        for slug in selected:
            _check_source(slug, sources)
        if feed is not None and len(selected) != 1:
            raise ConfigError("--feed needs exactly one --source: the outlet the feed belongs to")
        engine = _current_warehouse(settings)
        window = Window(_utc(since), _utc(until))
        with _progress() as progress:
            task = progress.add_task("fetch", total=None)
            result = fetch(
                engine, sources, selected, window, feed=feed, refresh=refresh, fetch_only=fetch_only,
                batch_size=batch_size,
                on_progress=lambda: progress.advance(task),
            )  # fmt: skip
    err.print(result.summary())


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=moment.tzinfo or UTC) if moment else None


@app.command("reextract")
def reextract_command(
    source: SourceOption = None,
    unextracted: Annotated[
        bool, typer.Option("--unextracted", help="Only documents never extracted (stored with --fetch-only).")
    ] = False,
    batch_size: BatchOption = DEFAULT_BATCH_SIZE,
) -> None:
    """Extract the stored raw documents again (all, or one source's) and load the articles: no fetching."""
    settings = Settings.from_env()
    with _failing_cleanly():
        sources, engine = _sources_and_warehouse(settings, source)
        with _progress() as progress:
            task = progress.add_task("reextract", total=None)
            advance = lambda: progress.advance(task)  # noqa: E731
            result = reextract(
                engine, sources, source, unextracted=unextracted, batch_size=batch_size, on_progress=advance
            )
    err.print(result.summary())


@app.command("import")
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="WARC / WARC.gz archives and .jsonl dumps.")],
    source: SourceOption = None,
    batch_size: BatchOption = DEFAULT_BATCH_SIZE,
) -> None:
    """Import web archives and dumps: every HTML response becomes a raw document, then an article; a rerun
    passes over what is stored already."""
    _ingest_command("import", paths, InputOptions(source), batch_size, skip_stored=True)


def _ingest_command(
    command: str, paths: list[Path], options: InputOptions, batch_size: int, *, skip_stored: bool = False
) -> None:
    settings = Settings.from_env()
    with _failing_cleanly():
        sources, engine = _sources_and_warehouse(settings, options.source)
        _ingest(engine, paths, sources, options, command, batch_size, skip_stored=skip_stored)


def _ingest(
    engine: sa.Engine,
    paths: list[Path],
    sources: dict[str, Source],
    options: InputOptions,
    command: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    *,
    skip_stored: bool = False,
) -> int:
    files = expand_paths(paths)
    with _progress() as progress:
        task = progress.add_task(command, total=_progress_total(files))
        result = ingest(
            engine,
            files,
            sources,
            options,
            command=command,
            batch_size=batch_size,
            on_progress=lambda: progress.advance(task),
            skip_stored=skip_stored,
        )
    err.print(result.summary())
    return result.run_id


@app.command("extract")
def extract_command(
    paths: Paths,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per input.")] = False,
    source: SourceOption = None,
    url: UrlOption = None,
) -> None:
    """Extract the articles in PATH... and print them, touching no database."""
    settings = Settings.from_env()
    with _failing_cleanly():
        sources = load_sources(settings.sources_path)
        _check_source(source, sources)
    files = expand_paths(paths)
    good = bad = 0
    with _progress() as progress:
        task = progress.add_task("extract", total=_progress_total(files))
        for document, outcome in extract_all(read_documents(files, sources, InputOptions(source, url)), sources):
            if isinstance(outcome, Unchanged | Stored):
                continue  # only fetching and imports pass inputs over; extracting files never does
            if isinstance(outcome, Reject):
                bad, path = bad + 1, outcome.origin
            else:
                good, path = good + 1, document.origin if document else outcome.key
            print(json.dumps(_as_json(path, outcome), ensure_ascii=False) if as_json else _as_text(path, outcome))
            progress.advance(task)
    err.print(f"extracted {good} · rejected {bad}")
    if bad:
        raise typer.Exit(1)


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
) -> None:
    """Group copies of the same wire story into stories: in the warehouse, or offline with --jsonl."""
    if jsonl is not None:
        _dedupe_offline(jsonl)
        return
    settings = Settings.from_env()
    with _failing_cleanly():
        engine = _current_warehouse(settings)
        workers.start()
        with _progress() as progress:
            task = progress.add_task("dedupe", total=None)
            run_id, counts = dedupe(engine, since=_utc(since), on_progress=lambda done: progress.advance(task, done))
    err.print(f"run {run_id}: {counts.summary()}")


def _dedupe_offline(path: Path) -> None:
    copies, bad = [], 0
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        err.print(f"[red]error:[/red] {escape(str(path))}: cannot read: {escape(str(error))}")
        raise typer.Exit(2) from error
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                copies.append(parse_copy(line, f"{path}:{number}"))
            except ValueError as error:
                bad += 1
                err.print(f"skipped {escape(str(error))}")
    assignments = cluster(copies)
    for assignment in assignments:
        print(json.dumps({"id": assignment.id, "story_id": assignment.story_id, "canonical": assignment.canonical}))
    stories = len({assignment.story_id for assignment in assignments})
    err.print(f"copies {len(assignments)} · stories {stories} · skipped {bad}")
    if bad:
        raise typer.Exit(1)


@app.command("demo")
def demo_command() -> None:
    """Set up the warehouse, load the bundled sample pages, and show the story their copies make."""
    settings = Settings.from_env()
    with _failing_cleanly():
        sources = load_sources(settings.sources_path)
        engine = _engine(settings)
        err.print(f"warehouse: {escape(db.describe(engine.url))}")
        db.upgrade(engine)
        _ingest(engine, [resource_dir("samples")], sources, InputOptions(), "demo")
        answer = ask(engine, "copies_of_the_biggest_story")
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


def _as_json(path: str, outcome: Article | Reject) -> dict[str, Any]:
    if isinstance(outcome, Reject):
        return {
            "path": path,
            "rejected": {"stage": outcome.stage, "reason": outcome.reason, "detail": outcome.detail},
        }
    record: dict[str, Any] = {"path": path}
    for field in fields(outcome):
        value = getattr(outcome, field.name)
        record[field.name] = value.isoformat() if isinstance(value, datetime) else value
    record |= {"content_hash": outcome.content_hash, "word_count": outcome.word_count, "key": outcome.key}
    return record


def _as_text(path: str, outcome: Article | Reject) -> str:
    if isinstance(outcome, Reject):
        return f"{path}: rejected ({outcome.reason}): {outcome.detail}"
    return f"{path}: {outcome.title!r} · {'/'.join(outcome.agencies)} · {outcome.dateline} · {outcome.published_at}"


def _progress_total(files: list[Path]) -> int | None:
    # A dump holds an unknown number of documents: show a running count instead of a bar.
    return None if any(path.name.endswith((".jsonl", ".warc", ".warc.gz")) for path in files) else len(files)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _check_source(slug: str | None, sources: dict[str, Source]) -> None:
    if slug is not None and slug not in sources:
        raise ConfigError(f"--source {slug!r}: not in the sources file (known: {', '.join(sorted(sources))})")


def _list(items: list[str]) -> str:
    return f": {', '.join(items)}" if items else ""


if __name__ == "__main__":
    sys.exit(app())
