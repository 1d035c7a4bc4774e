"""The bundled samples and `wiredesk demo`: several outlets' copies of one wire story, extracted and grouped."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from pipeline.record import Article
from pipeline.resources import resource_dir
from pipeline.run import InputOptions, expand_paths, extract_files
from pipeline.sources import Source

SAMPLES = resource_dir("samples")
GENEVA_TALKS = {"peninsula", "france24", "arab-news", "daily-sabah", "dawn"}

# file name -> (title, agencies, dateline, published_at in UTC); each outlet states its time its own way.
EXPECTED = {
    "peninsula-2022-01-22-us-russia-ukraine.txt": (
        "US and Russia promise to work on easing tensions over Ukraine",
        ("AFP", "Reuters"),
        "Geneva",
        datetime(2022, 1, 21, 21, 28, tzinfo=UTC),  # "Saturday، 22 January 2022 12:28 AM", Doha time
    ),
    "france24-2022-01-21-us-russia-agree-to-keep-talking.html": (
        "US, Russia agree to keep talking as fears of Ukraine invasion grow",
        ("AFP",),
        "Geneva",
        datetime(2022, 1, 21, 14, 47, tzinfo=UTC),  # article:published_time 15:47+01:00
    ),
    "arab-news-2022-01-21-blinken-lavrov-geneva.html": (
        "Blinken, Lavrov agree to keep talking on Ukraine; US to answer Moscow in writing",
        ("AFP",),
        None,  # the story opens "GENEVA: ...", a dateline form the extractor does not read
        datetime(2022, 1, 21, 16, 32, tzinfo=UTC),  # JSON-LD 19:32 without a zone, Riyadh time
    ),
    "daily-sabah-2022-01-21-us-russia-diplomacy-ukraine.html": (
        "US, Russia pledge to continue diplomacy amid Ukraine crisis",
        ("AFP", "Reuters"),
        "Geneva",
        datetime(2022, 1, 21, 17, 14, tzinfo=UTC),  # 20:14+03:00
    ),
    "dawn-2022-01-22-baltic-states-to-arm-ukraine-update.html": (
        "Baltic states to arm Ukraine as US and Russia agree to keep talking",
        ("Reuters", "AFP"),
        None,
        datetime(2022, 1, 22, 6, 20, tzinfo=UTC),  # 11:20+05:00
    ),
    "gulf-times-2022-01-20-tonga-aid-flights.html": (
        "First aid flights land in Tonga after volcano blast",
        ("AFP",),
        "Wellington",
        datetime(2022, 1, 20, 15, 41, tzinfo=UTC),  # 18:41 without a zone, Doha time
    ),
}


def test_every_sample_is_listed_here() -> None:
    assert sorted(path.name for path in expand_paths([SAMPLES])) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_extracts(name: str, sources: dict[str, Source]) -> None:
    [outcome] = extract_files([SAMPLES / name], sources, InputOptions())
    article = outcome.article
    assert isinstance(article, Article), outcome
    assert (article.title, article.agencies, article.dateline, article.published_at) == EXPECTED[name]
    assert article.word_count > 200


def wiredesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `wiredesk ARGS...` as a user would, with only the given WIREDESK_* settings."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WIREDESK_")} | env
    command = [sys.executable, "-m", "pipeline.cli", *args]
    result = subprocess.run(command, capture_output=True, text=True, env=environ, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def printed_table(stdout: str) -> list[dict[str, str]]:
    """The rows of the first psql-style table in `stdout`, by column name."""
    lines = stdout.splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith("-") and "-+-" in line)
    columns = [cell.strip() for cell in lines[start - 1].split("|")]
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        rows.append(dict(zip(columns, (cell.strip() for cell in line.split("|", len(columns) - 1)), strict=True)))
    return rows


def test_demo_prints_one_story_copied_by_several_outlets(
    engine: sa.Engine, database_url: str, sources: dict[str, Source]
) -> None:
    demo = wiredesk("demo", env={"WIREDESK_DATABASE_URL": database_url})
    copies = printed_table(demo.stdout)

    names = {slug: source.name for slug, source in sources.items()}
    assert len(copies) >= 3 and len({copy["outlet"] for copy in copies}) >= 3
    assert {copy["outlet"] for copy in copies} == {names[slug] for slug in GENEVA_TALKS}
    assert [copy["canonical"] for copy in copies].count("yes") == 1
    assert copies[0]["outlet"] == "France 24" and copies[0]["canonical"] == "yes"  # the earliest published
    assert copies[0]["published"] == "2022-01-21 15:47 Europe/Paris"
    assert "sql/queries/copies_of_the_biggest_story.sql" in demo.stdout
    assert demo.stdout.rstrip().endswith('psql "$(wiredesk db url)"')
    assert f"read {len(EXPECTED)} · new {len(EXPECTED)} ·" in demo.stderr
    with engine.connect() as connection:
        stories = connection.exec_driver_sql("SELECT copies, outlets FROM stories ORDER BY copies DESC").all()
    assert [(count, sorted(outlets)) for count, outlets in stories] == [
        (5, sorted(GENEVA_TALKS)),
        (1, ["gulf-times"]),
    ]
