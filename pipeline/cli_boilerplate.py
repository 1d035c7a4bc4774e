"""`wiredesk boilerplate`: learn each outlet's boilerplate from its stored pages, show it, explain an extraction.

The commands borrow the main CLI's engine and error handling; they import it when they run, because the main CLI
imports this module to register them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pipeline.errors import ConfigError, RejectedInput
from pipeline.extract.boilerplate import LearnParams
from pipeline.extract.document import extract_page
from pipeline.fetch.files import InputOptions, expand_paths, read_documents
from pipeline.load.boilerplate import learned_boilerplate
from pipeline.load.runs import sync_sources
from pipeline.record import Reject, Unchanged
from pipeline.run import learn_boilerplate
from pipeline.settings import Settings
from pipeline.sources import Source, load_sources

boilerplate_app = typer.Typer(help="Boilerplate learned per outlet from its stored pages.", no_args_is_help=True)

SourceFilter = Annotated[str | None, typer.Option("--source", help="Only this source (slug).")]


@boilerplate_app.command("learn")
def learn_command(
    source: SourceFilter = None,
    sample: Annotated[int, typer.Option("--sample", help="Most recent pages per source to learn from.")] = 500,
    min_pages: Annotated[int, typer.Option("--min-pages", help="Distinct-headline pages a line must be on.")] = 3,
    min_share: Annotated[float, typer.Option("--min-share", help="Share of the sampled pages it must be on.")] = 0.05,
) -> None:
    """Learn the boilerplate of every source (or one) from its recent stored pages, replacing what was learned."""
    from pipeline.cli import _current_warehouse, _failing_cleanly, err

    with _failing_cleanly():
        params = _params(sample, min_pages, min_share)
        settings = Settings.from_env()
        sources = load_sources(settings.sources_path)
        engine = _current_warehouse(settings)
        sync_sources(engine, sources.values())
        for chosen in _chosen(sources, source):
            lines = learn_boilerplate(engine, chosen, params)
            err.print(f"{escape(chosen.slug)}: {len(lines)} boilerplate line(s) learned")


@boilerplate_app.command("show")
def show_command(source: SourceFilter = None) -> None:
    """Print the learned lines, one JSON object each: source, line, pages, sampled, learned_at."""
    from pipeline.cli import _current_warehouse, _failing_cleanly

    with _failing_cleanly():
        engine = _current_warehouse(Settings.from_env())
        learned = learned_boilerplate(engine, source)
    for slug, boilerplate in sorted(learned.items()):
        for line in boilerplate.lines.values():
            record = {"source": slug, "line": line.text, "pages": line.pages, "sampled": line.sampled}
            print(json.dumps(record | {"learned_at": line.learned_at.isoformat()}, ensure_ascii=False))


@boilerplate_app.command("explain")
def explain_command(
    paths: Annotated[list[str], typer.Argument(help="Saved pages (.html, .txt...) to extract.")],
    source: Annotated[str | None, typer.Option("--source", help="Source slug for inputs that do not say.")] = None,
) -> None:
    """Extract pages with their source's learned boilerplate and print, per page, each removed line and why."""
    from pipeline.cli import _failing_cleanly, _sources_and_warehouse

    settings = Settings.from_env()
    with _failing_cleanly():
        sources, engine = _sources_and_warehouse(settings, source)
        learned = learned_boilerplate(engine)
    for document in read_documents(expand_paths([Path(path) for path in paths]), sources, InputOptions(source)):
        if isinstance(document, Reject | Unchanged):
            print(json.dumps({"path": document.origin, "rejected": getattr(document, "reason", "unchanged")}))
            continue
        try:
            page = extract_page(document, sources[document.source], learned.get(document.source))
        except RejectedInput as error:
            print(json.dumps({"path": document.origin, "rejected": error.reason, "detail": error.detail}))
            continue
        removed = [{"reason": reason, "line": line} for reason, line in page.removed]
        print(json.dumps({"path": document.origin, "title": page.title, "removed": removed}, ensure_ascii=False))


def _params(sample: int, min_pages: int, min_share: float) -> LearnParams:
    try:
        return LearnParams(min_pages=min_pages, min_share=min_share, sample=sample)
    except ValueError as error:
        raise ConfigError(str(error)) from error


def _chosen(sources: dict[str, Source], slug: str | None) -> list[Source]:
    if slug is None:
        return list(sources.values())
    if slug not in sources:
        raise ConfigError(f"--source {slug!r}: not in the sources file (known: {', '.join(sorted(sources))})")
    return [sources[slug]]
