"""`wiredesk import`: web archives and dumps from files (`import PATH...`), or CC-NEWS streamed over HTTP
(`import cc-news`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from pipeline import run
from pipeline.cli.common import (
    BatchOption,
    JsonOption,
    SourceOption,
    StrictOption,
    check_source,
    current_warehouse,
    err,
    failing_cleanly,
    progress,
    report,
    sources_and_warehouse,
    utc,
)
from pipeline.cli.ingest import ingest_with_progress
from pipeline.errors import ConfigError
from pipeline.settings import Settings
from pipeline.sources import load_sources


class _FilesByDefault(TyperGroup):
    """`wiredesk import PATH...` is `wiredesk import files PATH...`: the command before CC-NEWS came."""

    # `ctx` is the Context of typer's own copy of click, which typer does not export.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["files", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_FilesByDefault, help="Import web archives and dumps (files), or CC-NEWS over HTTP.")


@app.command("files")
def files_command(
    paths: Annotated[list[Path], typer.Argument(help="WARC / WARC.gz archives and .jsonl dumps.")],
    source: SourceOption = None,
    batch_size: BatchOption = run.DEFAULT_BATCH_SIZE,
    as_json: JsonOption = False,
    strict: StrictOption = False,
) -> None:
    """Import web archives and dumps: every HTML response becomes a raw document, then an article; a rerun
    passes over what is stored already."""
    settings = Settings.from_env()
    with failing_cleanly():
        sources, engine = sources_and_warehouse(settings, source)
        options = run.InputOptions(source)
        result = ingest_with_progress(engine, paths, sources, options, "import", batch_size, skip_stored=True)
    report(result, "import", as_json=as_json, strict=strict)


@app.command("cc-news")
def cc_news_command(
    since: Annotated[datetime, typer.Option("--since", help="Window start (UTC if no zone).")],
    until: Annotated[datetime, typer.Option("--until", help="Window end, exclusive (UTC if no zone).")],
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Keep this source's pages (repeat for several; default all).")
    ] = None,
    all_hosts: Annotated[
        bool, typer.Option("--all-hosts", help="Keep every page, a host no source serves getting a source of its own.")
    ] = False,
    batch_size: BatchOption = run.DEFAULT_BATCH_SIZE,
    as_json: JsonOption = False,
    strict: StrictOption = False,
) -> None:
    """Import CC-NEWS: stream the WARC files holding [--since, --until) from WIREDESK_CC_NEWS_URL (never saved),
    keep the pages of the configured sources; a file read to the end is not read again, a broken one is."""
    settings = Settings.from_env()
    with failing_cleanly():
        sources = load_sources(settings.sources_path)
        for slug in source or []:
            check_source(slug, sources)
        if source and all_hosts:
            raise ConfigError("--all-hosts keeps every page: it takes no --source")
        start, end = utc(since), utc(until)
        assert start is not None and end is not None
        if end <= start:
            raise ConfigError(f"--until must be after --since, got {start.isoformat()} and {end.isoformat()}")
        engine = current_warehouse(settings)
        with progress() as bar:
            task = bar.add_task("CC-NEWS listings", total=None)

            def on_archive(done: run.ArchiveProgress) -> None:
                name = PurePosixPath(done.url).name
                err.print(f"{escape(name)}: {done.status}, {done.documents} pages")
                bar.update(task, advance=1, description=escape(name))

            result = run.import_cc_news(
                engine, sources, settings.cc_news_url, start, end, selected=source or (), all_hosts=all_hosts,
                batch_size=batch_size, on_archives=lambda count: bar.update(task, total=count, description="CC-NEWS"),
                on_archive=on_archive,
            )  # fmt: skip
    report(result, "import cc-news", as_json=as_json, strict=strict)
