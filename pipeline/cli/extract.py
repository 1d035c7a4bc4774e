"""`wiredesk extract`: print the articles in files, touching no database."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from typing import Annotated, Any

import typer

from pipeline import run
from pipeline.cli.common import (
    Paths,
    SourceOption,
    UrlOption,
    check_source,
    err,
    failing_cleanly,
    progress,
    progress_total,
)
from pipeline.record import Article, Reject
from pipeline.settings import Settings
from pipeline.sources import load_sources

app = typer.Typer()


@app.command("extract")
def extract_command(
    paths: Paths,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per input.")] = False,
    source: SourceOption = None,
    url: UrlOption = None,
) -> None:
    """Extract the articles in PATH... and print them, touching no database."""
    settings = Settings.from_env()
    with failing_cleanly():
        sources = load_sources(settings.sources_path)
        check_source(source, sources)
    files = run.expand_paths(paths)
    good = bad = 0
    with progress() as bar:
        task = bar.add_task("extract", total=progress_total(files))
        for outcome in run.extract_files(files, sources, run.InputOptions(source, url)):
            if outcome.reject is not None:
                bad += 1
                line = _reject_json(outcome.reject) if as_json else _reject_text(outcome.reject)
            elif outcome.article is not None:
                good += 1
                line = (
                    _article_json(outcome.origin, outcome.article)
                    if as_json
                    else _article_text(outcome.origin, outcome.article)
                )
            else:
                continue  # only fetching and imports pass inputs over; extracting files never does
            print(line)
            bar.advance(task)
    err.print(f"extracted {good} · rejected {bad}")
    if bad:
        raise typer.Exit(1)


def _article_json(path: str, article: Article) -> str:
    record: dict[str, Any] = {"path": path}
    for field in fields(article):
        value = getattr(article, field.name)
        record[field.name] = value.isoformat() if isinstance(value, datetime) else value
    record |= {"content_hash": article.content_hash, "word_count": article.word_count, "key": article.key}
    record["published_offset_minutes"] = article.published_offset_minutes
    return json.dumps(record, ensure_ascii=False)


def _reject_json(reject: Reject) -> str:
    rejected = {"stage": reject.stage, "reason": reject.reason, "detail": reject.detail}
    return json.dumps({"path": reject.origin, "rejected": rejected}, ensure_ascii=False)


def _article_text(path: str, article: Article) -> str:
    agencies = "/".join(article.agencies)
    return f"{path}: {article.title!r} · {agencies} · {article.dateline} · {article.published_at}"


def _reject_text(reject: Reject) -> str:
    return f"{reject.origin}: rejected ({reject.reason}): {reject.detail}"
