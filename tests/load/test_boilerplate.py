"""Boilerplate learned from the warehouse: per source, from stored pages, removed at re-extraction, explainable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pipeline.extract.boilerplate import LearnParams
from pipeline.extract.document import extract_page
from pipeline.fetch.files import InputOptions
from pipeline.load.boilerplate import learned_boilerplate, recent_documents
from pipeline.run import ingest, learn_boilerplate, reextract
from pipeline.sources import Source
from tests.wire import STORIES, page

APP = "Download the Gulf Times app for the latest news"
NEWSLETTER = "Sign up to the Gulf Times daily briefing"
START = datetime(2022, 1, 20, 9, 0, tzinfo=UTC)


def _write_pages(folder: Path, prefix: str, count: int, footer: list[str], repeat_first: int = 0) -> Path:
    """`count` scraped pages of different stories ending in `footer`; the first story stored `repeat_first` more
    times, as an outlet updating one story."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count + repeat_first):
        story = min(n, count - 1) if n >= count else n
        paragraphs = [f"{text} ({prefix} {story})" for text in STORIES[story % len(STORIES)][:4]]
        published = START + timedelta(hours=n)
        text = page(f"{prefix} headline {story}", "Doha: QNA", published, [*paragraphs, *footer])
        (folder / f"{prefix}-{n}.txt").write_text(text, encoding="utf-8")
    return folder


def _bodies(engine: sa.Engine, source: str) -> list[str]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT body FROM articles WHERE source = %(s)s", {"s": source})
        return [row[0] for row in rows]


def _table(engine: sa.Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        query = "SELECT source, line, pages, sampled FROM boilerplate_lines ORDER BY source, line"
        return [tuple(row) for row in connection.exec_driver_sql(query)]


def test_learned_per_source_stored_and_removed_at_reextraction(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    gulf = _write_pages(tmp_path / "gulf", "gulf", 6, [APP, NEWSLETTER], repeat_first=4)
    # The Peninsula carries the same app line on two pages only: not enough, and Gulf Times' pages do not count.
    peninsula = _write_pages(tmp_path / "peninsula", "peninsula", 2, [APP])
    ingest(engine, [gulf], sources, InputOptions(source="gulf-times"))
    ingest(engine, [peninsula], sources, InputOptions(source="peninsula"))
    assert all(APP in body for body in _bodies(engine, "gulf-times"))

    params = LearnParams(min_pages=3, min_share=0.2)
    learned = learn_boilerplate(engine, sources["gulf-times"], params)
    assert learn_boilerplate(engine, sources["peninsula"], params) == []

    # The story stored five times is one page: its paragraphs are not learned, only the footer lines.
    assert sorted(line.text for line in learned) == sorted([APP, NEWSLETTER])
    assert _table(engine) == [("gulf-times", APP, 6, 10), ("gulf-times", NEWSLETTER, 6, 10)]

    reextract(engine, sources)
    assert all(APP not in body and NEWSLETTER not in body for body in _bodies(engine, "gulf-times"))
    assert all(f"(gulf {n})" in " ".join(_bodies(engine, "gulf-times")) for n in range(6))
    assert all(APP in body for body in _bodies(engine, "peninsula"))


def test_each_removed_line_is_explained_and_relearning_replaces(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    ingest(engine, [_write_pages(tmp_path, "gulf", 5, [APP])], sources, InputOptions(source="gulf-times"))
    learn_boilerplate(engine, sources["gulf-times"], LearnParams(min_pages=3), now=datetime(2026, 11, 28, tzinfo=UTC))
    boilerplate = learned_boilerplate(engine)["gulf-times"]
    document = next(recent_documents(engine, "gulf-times", 1))

    scraped = extract_page(document, sources["gulf-times"], boilerplate)
    assert APP not in scraped.body
    assert ("boilerplate: on 5 of 5 pages sampled (2026-11-28)", APP) in scraped.removed

    # With a higher bar the line no longer qualifies, and learning again forgets it.
    assert learn_boilerplate(engine, sources["gulf-times"], LearnParams(min_pages=6)) == []
    assert _table(engine) == []
