"""Sitemaps: gzipped and plain-text ones, indexes read newest first within their limits, robots.txt's `Sitemap:`
lines for a source that names none, and bombs refused in bounded memory."""

from __future__ import annotations

import gzip
import tracemalloc
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from pipeline.errors import RejectedInput
from pipeline.fetch.discovery import Listing, parse_sitemap_document
from pipeline.fetch.http import FetchPolicy
from pipeline.fetch.sitemaps import SitemapLimits, SitemapReader
from pipeline.fetch.web import Window
from pipeline.run import fetch
from pipeline.sources import Source
from tests.fetch import server
from tests.fetch.memory import run_measured
from tests.fetch.server import PAGE_NAMES, PageServer
from tests.fetch.test_http import POLICY

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NIGHT = Window(datetime(2022, 1, 22, tzinfo=UTC), datetime(2022, 1, 23, tzinfo=UTC))


def urlset(*entries: tuple[str, str | None]) -> bytes:
    """A news sitemap listing each (URL, publication date)."""
    urls = "".join(
        f"<url><loc>{loc}</loc>"
        + (f"<news:news><news:publication_date>{when}</news:publication_date></news:news>" if when else "")
        + "</url>"
        for loc, when in entries
    )
    return f'<?xml version="1.0"?><urlset xmlns="{SITEMAP}" xmlns:news="{NEWS}">{urls}</urlset>'.encode()


def index(*children: tuple[str, str | None]) -> bytes:
    """A sitemap index pointing at each (URL, lastmod)."""
    items = "".join(
        f"<sitemap><loc>{loc}</loc>" + (f"<lastmod>{when}</lastmod>" if when else "") + "</sitemap>"
        for loc, when in children
    )
    return f'<?xml version="1.0"?><sitemapindex xmlns="{SITEMAP}">{items}</sitemapindex>'.encode()


# --- parsing


def test_a_gzipped_sitemap_is_inflated_and_read() -> None:
    payload = gzip.compress(urlset(("https://example.com/a", "2022-01-22T06:00:00Z")))
    [listing] = parse_sitemap_document(payload, "news.xml.gz", 1_000_000).listings
    assert listing == Listing("https://example.com/a", datetime(2022, 1, 22, 6, tzinfo=UTC))


def test_a_plain_text_sitemap_lists_one_url_per_line() -> None:
    text = "\ufeffhttps://example.com/a\r\n\n  https://example.com/b  \n# a comment\nhttps://example.com/a\n"
    found = parse_sitemap_document(text.encode(), "sitemap.txt", 1_000_000)
    assert [listing.url for listing in found.listings] == ["https://example.com/a", "https://example.com/b"]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"nothing here", "bad-sitemap"),
        ("caf\u00e9 https://example.com/a".encode("cp1252"), "bad-sitemap"),
        (gzip.compress(b"x")[:-6], "bad-content-encoding"),
        (b"<urlset><url>", "bad-xml"),
    ],
)
def test_what_is_no_sitemap_is_rejected_with_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(RejectedInput) as caught:
        parse_sitemap_document(payload, "s", 1_000_000)
    assert caught.value.reason == reason


def test_a_gzip_bomb_sitemap_is_refused_without_being_inflated() -> None:
    bomb = server.gzip_bomb()
    tracemalloc.start()
    try:
        with pytest.raises(RejectedInput) as caught:
            parse_sitemap_document(bomb, "bomb.xml.gz", 5_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.reason == "decompression-bomb"
    assert peak < 20_000_000, f"peak {peak} bytes inflating a bomb capped at 5 MB"


# --- indexes and their limits


class Site:
    """Sitemaps by URL, and what a reader asked for and rejected."""

    def __init__(self, documents: dict[str, bytes]) -> None:
        self.documents = documents
        self.asked: list[str] = []
        self.rejects: list[tuple[str, str]] = []

    def fetch(self, url: str) -> bytes:
        self.asked.append(url)
        if url not in self.documents:
            raise RejectedInput("http-404", f"{url}: HTTP 404")
        return self.documents[url]

    def reader(self, since: datetime | None = None, **limits: int) -> SitemapReader:
        def on_reject(url: str, error: RejectedInput) -> None:
            self.rejects.append((url, error.reason))

        return SitemapReader(self.fetch, 1_000_000, since, on_reject, SitemapLimits(**limits))


def test_an_index_is_read_newest_first_and_what_the_limit_leaves_out_is_a_reject() -> None:
    months = [(f"s/{month:02}.xml", f"2021-{month:02}-28") for month in range(1, 13)]
    site = Site({"index.xml": index(*months)} | {url: urlset((f"https://e.com/{url}", None)) for url, _ in months})
    listings = site.reader(children=3).read("index.xml")
    assert site.asked == ["index.xml", "s/12.xml", "s/11.xml", "s/10.xml"]
    assert [listing.url for listing in listings] == [f"https://e.com/s/{month}.xml" for month in (12, 11, 10)]
    assert site.rejects == [("index.xml", "too-many-sitemaps")]


def test_sitemaps_last_modified_before_the_window_are_not_asked_for() -> None:
    site = Site({
        "index.xml": index(("old.xml", "2021-12-31"), ("new.xml", "2022-01-22T01:00:00Z"), ("undated.xml", None)),
        "new.xml": urlset(("https://e.com/new", "2022-01-22T05:00:00Z")),
        "undated.xml": urlset(("https://e.com/undated", None)),
    })  # fmt: skip
    listings = site.reader(since=NIGHT.since).read("index.xml")
    assert site.asked == ["index.xml", "new.xml", "undated.xml"] and site.rejects == []
    assert [listing.url for listing in listings] == ["https://e.com/new", "https://e.com/undated"]


def test_indexes_nest_only_so_deep_and_never_in_a_loop() -> None:
    site = Site({
        "top.xml": index(("middle.xml", None), ("top.xml", None)),
        "middle.xml": index(("bottom.xml", None)),
        "bottom.xml": index(("deeper.xml", None)),
    })  # fmt: skip
    assert site.reader(depth=2).read("top.xml") == []
    assert site.asked == ["top.xml", "middle.xml", "bottom.xml"]
    assert site.rejects == [("bottom.xml", "sitemap-too-deep")]


def test_urls_past_the_limit_are_left_with_a_reject_and_a_failing_child_does_not_stop_the_rest() -> None:
    site = Site({
        "index.xml": index(("a.xml", None), ("gone.xml", None), ("b.xml", None)),
        "a.xml": urlset(*[(f"https://e.com/a{n}", None) for n in range(3)]),
        "b.xml": urlset(*[(f"https://e.com/b{n}", None) for n in range(3)]),
    })  # fmt: skip
    listings = site.reader(urls=4).read("index.xml")
    assert [listing.url for listing in listings] == ["https://e.com/a0", "https://e.com/a1", "https://e.com/a2",
                                                      "https://e.com/b0"]  # fmt: skip
    assert site.rejects == [("gone.xml", "http-404"), ("b.xml", "too-many-urls")]


@pytest.mark.parametrize(
    ("change", "message"),
    [({"children": 0}, "children must be >= 1"), ({"urls": 0}, "urls must be >= 1"), ({"depth": -1}, "depth")],
)
def test_sitemap_limits_refuse_bad_values(change: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SitemapLimits(**change)


# --- against a real server


def rows(engine: sa.Engine, query: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query).mappings())


def local_source(feeds: tuple[str, ...] = (), sitemaps: tuple[str, ...] = ()) -> dict[str, Source]:
    return {"local": Source("local", "Local Times", "127.0.0.1", ZoneInfo("UTC"), "en", feeds, sitemaps)}


def policy() -> FetchPolicy:
    return replace(POLICY, allowed_hosts=frozenset({"127.0.0.1"}))


def test_gzipped_and_plain_text_sitemaps_of_an_index_are_read(engine: sa.Engine, page_server: PageServer) -> None:
    base = page_server.base_url
    news = gzip.compress(urlset((f"{base}/page/{PAGE_NAMES[0]}", "2022-01-22T06:00:00Z")))
    page_server.serve("/news.xml.gz", news, "application/x-gzip")
    page_server.serve("/sitemap.txt", f"{base}/page/{PAGE_NAMES[1]}\n", "text/plain")
    top = page_server.serve("/index.xml", index((f"{base}/news.xml.gz", None), (f"{base}/sitemap.txt", None)))

    result = fetch(engine, local_source(sitemaps=(top,)), ["local"], NIGHT, policy=policy())

    assert (result.counts.read, result.counts.rejected) == (2, 0)
    documents = rows(engine, "SELECT origin FROM raw_documents ORDER BY origin")
    assert [d["origin"] for d in documents] == [f"{base}/page/{name}" for name in sorted(PAGE_NAMES[:2])]


def test_a_source_without_sitemaps_reads_those_its_robots_txt_lists(engine: sa.Engine, page_server: PageServer) -> None:
    base = page_server.base_url
    page_server.robots_body = f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap-index.xml\nSitemap: https://elsewhere.example/s.xml\n"
    feed = page_server.serve_feed("/empty.rss", [])
    fetch(engine, local_source(feeds=(feed,)), ["local"], NIGHT, policy=policy())

    assert page_server.hits["/sitemap-index.xml"] == 1 and page_server.hits["/sitemap-news.xml"] == 1
    assert page_server.hits[f"/page/{PAGE_NAMES[2]}"] == 1, "the news sitemap's page in the window"
    [health] = rows(engine, "SELECT url, kind FROM feed_health WHERE kind = 'sitemap'")
    assert health["url"] == f"{base}/sitemap-index.xml"


def test_from_a_sitemap_the_source_does_not_name_only_dated_items_of_the_window_are_taken(
    engine: sa.Engine, page_server: PageServer
) -> None:
    base = page_server.base_url
    items = [(f"{base}/page/{PAGE_NAMES[0]}", None), (f"{base}/page/{PAGE_NAMES[1]}", "2022-01-22T08:00:00Z")]
    items.append((f"{base}/page/{PAGE_NAMES[2]}", "2021-06-01"))
    page_server.serve("/archive.xml", urlset(*items), "application/xml")
    page_server.robots_body = f"User-agent: *\nDisallow: /private/\nSitemap: {base}/archive.xml\n"
    fetch(engine, local_source(feeds=(page_server.serve_feed("/empty.rss", []),)), ["local"], NIGHT, policy=policy())
    assert [name for name in PAGE_NAMES if page_server.hits[f"/page/{name}"]] == [PAGE_NAMES[1]]


def test_a_gzip_bomb_sitemap_over_http_is_refused_in_bounded_memory(page_server: PageServer) -> None:
    page_server.serve("/bomb.xml.gz", server.gzip_bomb(), "application/x-gzip")
    reasons, peak_kib = run_measured(f"""
        from dataclasses import replace
        from zoneinfo import ZoneInfo
        from pipeline.fetch.http import FetchPolicy, PoliteClient
        from pipeline.fetch.web import Window, discover
        from pipeline.sources import Source
        policy = FetchPolicy(min_interval=0, allow_private_hosts=True, max_bytes=50_000_000)
        bomb = "{page_server.base_url}/bomb.xml.gz"
        source = Source("local", "Local", "127.0.0.1", ZoneInfo("UTC"), sitemaps=(bomb,))
        with PoliteClient(policy) as client:
            found = discover(client, source, Window())
        print([reject.reason for reject in found.rejects])
    """)
    assert reasons == "['decompression-bomb']"
    assert peak_kib < 300 * 1024, f"peak RSS {peak_kib // 1024} MiB"
