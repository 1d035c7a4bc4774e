"""Every example query in sql/queries answers its question on a warehouse of real pages, with the expected rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from pipeline.resources import resource_dir
from pipeline.run import ingest
from pipeline.sources import Source
from tests.wire import STORIES, page

QUERIES = resource_dir("sql") / "queries"
UKRAINE = "US and Russia promise to work on easing tensions over Ukraine"
OUTLETS = {
    slug: Source(slug, name, f"{slug}.example", ZoneInfo("Asia/Qatar"), "en")
    for slug, name in (("peninsula", "The Peninsula"), ("gulf-times", "Gulf Times"), ("arab-news", "Arab News"))
}


@pytest.fixture
def warehouse(engine: sa.Engine, sample_path: Path, tmp_path: Path) -> sa.Engine:
    """The sample and two copies of it, three other stories over two days, and one unreadable page."""
    seed = sample_path.read_text(encoding="utf-8").splitlines()
    body = [line for line in seed[8:37] if line.strip()]
    night = datetime(2022, 1, 21, 21, 28, tzinfo=UTC)
    lines = [
        (
            "gulf-times",
            "https://gulf-times.example/ukraine",
            page(f"{UKRAINE} talks", "AFP", night + timedelta(hours=1), body[:-2]),
        ),
        (
            "arab-news",
            "https://arab-news.example/ukraine",
            page("Blinken and Lavrov meet", "Reuters / Geneva", night + timedelta(hours=2), body),
        ),
        ("gulf-times", "https://gulf-times.example/a", page("Story A", "AP", night - timedelta(hours=11), STORIES[0])),
        (
            "arab-news",
            "https://arab-news.example/a",
            page("Story A again", "AP", night - timedelta(hours=10), STORIES[0][1:]),
        ),
        ("peninsula", "https://peninsula.example/b", page("Story B", "QNA", night - timedelta(hours=5), STORIES[1])),
        ("gulf-times", "https://gulf-times.example/c", page("Story C", "AFP", night - timedelta(days=1), STORIES[2])),
    ]
    dump = tmp_path / "night.jsonl"
    dump.write_text(
        "".join(json.dumps({"source": s, "url": u, "text": t}) + "\n" for s, u, t in lines), encoding="utf-8"
    )
    bad = tmp_path / "peninsula-latin1.txt"
    bad.write_bytes("Caf\xe9\n\nAFP\n\nBody.".encode("latin-1"))
    ingest(engine, [sample_path, dump, bad], OUTLETS)
    return engine


def run(engine: sa.Engine, name: str) -> list[dict[str, Any]]:
    """The rows of sql/queries/NAME.sql."""
    with engine.connect() as connection:
        return [
            dict(row)
            for row in connection.exec_driver_sql((QUERIES / f"{name}.sql").read_text().replace("%", "%%")).mappings()
        ]


def test_every_query_states_its_question_and_is_tested() -> None:
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    for path in QUERIES.glob("*.sql"):
        assert path.read_text().startswith("-- "), f"{path.name} must open with the question it answers"
        assert path.stem in tested, f"{path.name} has no test"


def test_wire_stories_by_agency(warehouse: sa.Engine) -> None:
    rows = run(warehouse, "wire_stories_by_agency")
    assert [(r["source"], r["title"]) for r in rows[:3]] == [
        ("arab-news", "Blinken and Lavrov meet"),
        ("gulf-times", f"{UKRAINE} talks"),
        ("peninsula", UKRAINE),
    ]


def test_top_stories_of_the_day(warehouse: sa.Engine) -> None:
    rows = run(warehouse, "top_stories_of_the_day")
    assert [(r["title"], r["outlets"], r["copies"], r["agencies"]) for r in rows] == [
        (UKRAINE, 3, 3, ["AFP", "Reuters"]),
        ("Story A", 2, 2, ["AP"]),
        ("Story B", 1, 1, ["QNA"]),
    ]
    assert {str(r["day"]) for r in rows} == {"2022-01-21"}


def test_outlets_that_ran_the_afp_ukraine_story(warehouse: sa.Engine) -> None:
    rows = run(warehouse, "outlets_that_ran_the_afp_ukraine_story")
    assert [(r["source"], r["canonical"], r["after_first"]) for r in rows] == [
        ("peninsula", True, timedelta(0)),
        ("gulf-times", False, timedelta(hours=1)),
        ("arab-news", False, timedelta(hours=2)),
    ]
    assert rows[0]["similarity"] == Decimal("1.00") and rows[2]["similarity"] >= Decimal("0.9")
    assert rows[1]["words_vs_canonical"] < 0 < rows[1]["similarity"] < 1


def test_copies_of_the_biggest_story(warehouse: sa.Engine) -> None:
    rows = run(warehouse, "copies_of_the_biggest_story")
    assert [(r["outlet"], r["published"], r["canonical"], r["title"]) for r in rows] == [
        ("The Peninsula", "2022-01-22 00:28 Asia/Qatar", True, UKRAINE),
        ("Gulf Times", "2022-01-22 01:28 Asia/Qatar", False, f"{UKRAINE} talks"),
        ("Arab News", "2022-01-22 02:28 Asia/Qatar", False, "Blinken and Lavrov meet"),
    ]


def test_agency_share_this_month(warehouse: sa.Engine) -> None:
    rows = run(warehouse, "agency_share_this_month")
    assert [(r["source"], r["agency"], r["stories"], r["share"]) for r in rows] == [
        ("arab-news", "AFP", 1, Decimal("0.500")),
        ("arab-news", "AP", 1, Decimal("0.500")),
        ("arab-news", "Reuters", 1, Decimal("0.500")),
        ("gulf-times", "AFP", 2, Decimal("0.667")),
        ("gulf-times", "AP", 1, Decimal("0.333")),
        ("gulf-times", "Reuters", 1, Decimal("0.333")),
        ("peninsula", "AFP", 1, Decimal("0.500")),
        ("peninsula", "QNA", 1, Decimal("0.500")),
        ("peninsula", "Reuters", 1, Decimal("0.500")),
    ]


def test_ukraine_this_week(warehouse: sa.Engine) -> None:
    rows = run(warehouse, "ukraine_this_week")
    stories = [r["story_id"] for r in rows]
    assert len(stories) == len(set(stories)), "one row per story"
    assert rows[0]["title"] in {UKRAINE, f"{UKRAINE} talks"}
    assert all(r["rank"] > 0 for r in rows)


def test_rejects_last_run(warehouse: sa.Engine) -> None:
    rows = run(warehouse, "rejects_last_run")
    assert [(r["stage"], r["reason"], r["rejects"]) for r in rows] == [("extract", "not-utf8", 1)]
    assert "peninsula-latin1.txt" in rows[0]["example"]
