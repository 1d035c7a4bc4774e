"""`wiredesk boilerplate`: learn each outlet's boilerplate from its stored pages, show it, explain an extraction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pipeline import run
from pipeline.cli.common import check_source, current_warehouse, err, failing_cleanly, sources_and_warehouse
from pipeline.errors import ConfigError
from pipeline.record import Reject
from pipeline.settings import Settings
from pipeline.sources import Source, load_sources

app = typer.Typer(help="Boilerplate learned per outlet from its stored pages.", no_args_is_help=True)

SourceFilter = Annotated[str | None, typer.Option("--source", help="Only this source (slug).")]


@app.command("learn")
def learn_command(
    source: SourceFilter = None,
    sample: Annotated[int, typer.Option("--sample", help="Most recent pages per source to learn from.")] = 500,
    min_pages: Annotated[int, typer.Option("--min-pages", help="Distinct-headline pages a line must be on.")] = 3,
    min_share: Annotated[float, typer.Option("--min-share", help="Share of the sampled pages it must be on.")] = 0.05,
) -> None:
    """Learn the boilerplate of every source (or one) from its recent stored pages, replacing what was learned."""
    with failing_cleanly():
        params = _params(sample, min_pages, min_share)
        settings = Settings.from_env()
        sources = load_sources(settings.sources_path)
        engine = current_warehouse(settings)
        run.sync_sources(engine, sources.values())
        for chosen in _chosen(sources, source):
            lines = run.learn_boilerplate(engine, chosen, params)
            err.print(f"{escape(chosen.slug)}: {len(lines)} boilerplate line(s) learned")


@app.command("show")
def show_command(source: SourceFilter = None) -> None:
    """Print the learned lines, one JSON object each: source, line, pages, sampled, learned_at."""
    with failing_cleanly():
        engine = current_warehouse(Settings.from_env())
        learned = run.learned_boilerplate(engine, source)
    for slug, boilerplate in sorted(learned.items()):
        for line in boilerplate.lines.values():
            record = {"source": slug, "line": line.text, "pages": line.pages, "sampled": line.sampled}
            print(json.dumps(record | {"learned_at": line.learned_at.isoformat()}, ensure_ascii=False))


@app.command("explain")
def explain_command(
    paths: Annotated[list[str], typer.Argument(help="Saved pages (.html, .txt...) to extract.")],
    source: Annotated[str | None, typer.Option("--source", help="Source slug for inputs that do not say.")] = None,
) -> None:
    """Extract pages with their source's learned boilerplate and print, per page, each removed line and why."""
    settings = Settings.from_env()
    with failing_cleanly():
        sources, engine = sources_and_warehouse(settings, source)
        explained = list(
            run.explain_boilerplate(engine, [Path(path) for path in paths], sources, run.InputOptions(source))
        )
    for path, page in explained:
        if isinstance(page, Reject):
            print(json.dumps({"path": path, "rejected": page.reason, "detail": page.detail}))
            continue
        removed = [{"reason": reason, "line": line} for reason, line in page.removed]
        print(json.dumps({"path": path, "title": page.title, "removed": removed}, ensure_ascii=False))


def _params(sample: int, min_pages: int, min_share: float) -> run.LearnParams:
    try:
        return run.LearnParams(min_pages=min_pages, min_share=min_share, sample=sample)
    except ValueError as error:
        raise ConfigError(str(error)) from error


def _chosen(sources: dict[str, Source], slug: str | None) -> list[Source]:
    if slug is None:
        return list(sources.values())
    check_source(slug, sources)
    return [sources[slug]]
