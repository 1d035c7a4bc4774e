"""The bundled samples: several outlets' copies of one wire story, each extracted with its outlet's quirks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.fetch.files import InputOptions, expand_paths, read_documents
from pipeline.record import Article
from pipeline.resources import resource_dir
from pipeline.run import extract_all
from pipeline.sources import Source

SAMPLES = resource_dir("samples")

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
    [(_, article)] = extract_all(read_documents([SAMPLES / name], sources, InputOptions()), sources)
    assert isinstance(article, Article), article
    assert (article.title, article.agencies, article.dateline, article.published_at) == EXPECTED[name]
    assert article.word_count > 200
