"""Discovering article URLs in real-shaped feeds and sitemaps, and refusing hostile XML."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import RejectedInput
from pipeline.fetch.discovery import Listing, in_window, parse_listing_document

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def parse(name: str):  # type: ignore[no-untyped-def]
    """Discovery of a fixture file."""
    return parse_listing_document((FEEDS / name).read_bytes(), name)


def test_rss_items_with_their_times_in_utc() -> None:
    listings = parse("gulf-times.rss").listings
    assert [(item.url, item.published_at) for item in listings] == [
        (
            "https://www.gulf-times.com/story/707452/us-and-russia-promise?utm_source=rss",
            datetime(2022, 1, 21, 19, 10, tzinfo=UTC),
        ),
        ("https://www.gulf-times.com/story/707460/markets-slip", datetime(2022, 1, 22, 9, 0, tzinfo=UTC)),
        ("https://www.gulf-times.com/story/707461/brief", None),
    ]
    assert listings[0].title == "US and Russia promise to work on easing tensions over Ukraine"


def test_atom_entries() -> None:
    [entry] = parse("peninsula.atom").listings
    assert entry.url == "https://thepeninsulaqatar.com/article/22/01/2022/us-and-russia-promise"
    assert entry.published_at == datetime(2022, 1, 21, 21, 28, tzinfo=UTC)


def test_news_sitemap_and_sitemap_index() -> None:
    index = parse("news-sitemap-index.xml")
    assert index.listings == () and index.sitemaps == (
        "https://thepeninsulaqatar.com/sitemap-news-1.xml",
        "https://thepeninsulaqatar.com/sitemap-news-2.xml",
    )
    news = parse("news-sitemap.xml").listings
    assert news[0] == Listing(
        "https://thepeninsulaqatar.com/article/22/01/2022/us-and-russia-promise",
        datetime(2022, 1, 21, 21, 28, tzinfo=UTC),
        "US and Russia promise to work on easing tensions over Ukraine",
    )
    assert news[1].published_at == datetime(2022, 1, 20, tzinfo=UTC)


def test_json_feed() -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "1", "url": "https://gulf-times.com/a", "title": "A", "date_published": "2022-01-21T21:28:00Z"},
        {"id": "2", "content_text": "no url"},
    ]}  # fmt: skip
    [item] = parse_listing_document(json.dumps(feed).encode(), "feed.json").listings
    assert (item.url, item.published_at) == ("https://gulf-times.com/a", datetime(2022, 1, 21, 21, 28, tzinfo=UTC))


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_entity_declarations_are_refused_in_bounded_memory(name: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(RejectedInput) as raised:
            parse(name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert raised.value.reason == "unsafe-xml" and name in raised.value.detail
    assert peak < 5_000_000


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"<html><body>not a feed</body></html>", "bad-feed"),
        (b"<rss><channel>", "bad-xml"),
        (b'{"items": 3}', "bad-feed"),
    ],
)
def test_documents_that_list_nothing_are_rejected_with_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(RejectedInput) as raised:
        parse_listing_document(payload, "https://gulf-times.com/feed")
    assert raised.value.reason == reason and "https://gulf-times.com/feed" in raised.value.detail


def test_the_window_keeps_undated_items() -> None:
    listings = parse("gulf-times.rss").listings
    night = in_window(listings, datetime(2022, 1, 21, tzinfo=UTC), datetime(2022, 1, 22, tzinfo=UTC))
    assert [item.url.rsplit("/", 1)[1] for item in night] == ["us-and-russia-promise?utm_source=rss", "brief"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_give_listings_or_a_reject(payload: bytes) -> None:
    try:
        parse_listing_document(payload, "fuzz")
    except RejectedInput as error:
        assert error.reason in {"bad-feed", "bad-xml", "unsafe-xml"}
