"""`wiredesk ingest`, `fetch` and `reextract`: inputs into the warehouse, each as one recorded run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated

import sqlalchemy as sa
import typer

from pipeline import run
from pipeline.cli.common import (
    BatchOption,
    JsonOption,
    Paths,
    SourceOption,
    StrictOption,
    UrlOption,
    check_source,
    current_warehouse,
    failing_cleanly,
    progress,
    progress_total,
    report,
    sources_and_warehouse,
    utc,
)
from pipeline.errors import ConfigError
from pipeline.settings import Settings
from pipeline.sources import Source, load_sources, source_serving

app = typer.Typer()


@app.command("ingest")
def ingest_command(
    paths: Paths,
    source: SourceOption = None,
    url: UrlOption = None,
    batch_size: BatchOption = run.DEFAULT_BATCH_SIZE,
    as_json: JsonOption = False,
    strict: StrictOption = False,
) -> None:
    """Extract the articles in PATH... and load them into the warehouse as one run."""
    result = _ingest_command("ingest", paths, run.InputOptions(source, url), batch_size)
    report(result, "ingest", as_json=as_json, strict=strict)


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
        str | None,
        typer.Option(
            "--feed", help="Fetch this one feed instead, for the --source given or the source serving its host."
        ),
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask again for stored pages too (conditional GET: 304s cost nothing).")
    ] = False,
    fetch_only: Annotated[
        bool, typer.Option("--fetch-only", help="Store the pages without extracting them (see `reextract`).")
    ] = False,
    batch_size: BatchOption = run.DEFAULT_BATCH_SIZE,
    as_json: JsonOption = False,
    strict: StrictOption = False,
) -> None:
    """Fetch what the sources' feeds and sitemaps list and is not stored yet, then extract and load it. A source
    whose every request failed fails the run (exit status 75) once the other sources' pages have landed."""
    settings = Settings.from_env()
    with failing_cleanly():
        sources = load_sources(settings.sources_path)
        if feed is not None and not source:
            # A one-off feed of any site: its host's configured source, or one made for the host.
            serving = source_serving(feed, sources)
            if serving is None:
                raise ConfigError(f"--feed {feed!r}: not an http(s) URL with a host")
            sources[serving.slug] = sources.get(serving.slug, serving)
            source = [serving.slug]
        selected = source or sorted(sources)
        for slug in selected:
            check_source(slug, sources)
        if feed is not None and len(selected) != 1:
            raise ConfigError("--feed takes at most one --source: the outlet the feed belongs to")
        engine = current_warehouse(settings)
        window = run.Window(utc(since), utc(until))
        with progress() as bar:
            task = bar.add_task("fetch", total=None)
            result = run.fetch(
                engine, sources, selected, window, feed=feed, refresh=refresh, fetch_only=fetch_only,
                batch_size=batch_size, require_reachable=True,
                on_progress=lambda: bar.advance(task),
            )  # fmt: skip
    report(result, "fetch", as_json=as_json, strict=strict)


@app.command("reextract")
def reextract_command(
    source: SourceOption = None,
    unextracted: Annotated[
        bool, typer.Option("--unextracted", help="Only documents never extracted (stored with --fetch-only).")
    ] = False,
    batch_size: BatchOption = run.DEFAULT_BATCH_SIZE,
    as_json: JsonOption = False,
    strict: StrictOption = False,
) -> None:
    """Extract the stored raw documents again (all, or one source's) and load the articles: no fetching."""
    settings = Settings.from_env()
    with failing_cleanly():
        sources, engine = sources_and_warehouse(settings, source)
        with progress() as bar:
            task = bar.add_task("reextract", total=None)
            result = run.reextract(
                engine,
                sources,
                source,
                unextracted=unextracted,
                batch_size=batch_size,
                on_progress=lambda: bar.advance(task),
            )
    report(result, "reextract", as_json=as_json, strict=strict)


def _ingest_command(
    command: str, paths: list[Path], options: run.InputOptions, batch_size: int, *, skip_stored: bool = False
) -> run.RunResult:
    settings = Settings.from_env()
    with failing_cleanly():
        sources, engine = sources_and_warehouse(settings, options.source)
        return ingest_with_progress(engine, paths, sources, options, command, batch_size, skip_stored=skip_stored)


def ingest_with_progress(
    engine: sa.Engine,
    paths: list[Path],
    sources: Mapping[str, Source],
    options: run.InputOptions,
    command: str,
    batch_size: int = run.DEFAULT_BATCH_SIZE,
    *,
    skip_stored: bool = False,
) -> run.RunResult:
    """`run.ingest` with a progress bar."""
    files = run.expand_paths(paths)
    if not files:
        found = ", ".join(map(str, paths))
        raise ConfigError(f"no input found in {found} (inputs are .txt, .html, .html.gz, .jsonl and .warc(.gz) files)")
    with progress() as bar:
        task = bar.add_task(command, total=progress_total(files))
        result = run.ingest(
            engine,
            files,
            sources,
            options,
            command=command,
            batch_size=batch_size,
            on_progress=lambda: bar.advance(task),
            skip_stored=skip_stored,
        )
    return result
