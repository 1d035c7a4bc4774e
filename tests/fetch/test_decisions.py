"""Every refusal of a fetch run is a row in `rejects` with its reason: nothing the crawler declines to do, or
fails to do, is dropped silently."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pipeline.fetch.backoff import FeedBackoff
from pipeline.fetch.sitemaps import SitemapLimits
from pipeline.run import fetch
from pipeline.sources import Source
from tests.fetch.server import PageServer
from tests.fetch.test_http import POLICY


def rows(engine: sa.Engine, query: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query).mappings())


def test_every_refusal_of_a_fetch_run_is_a_reject_with_its_reason(engine: sa.Engine, page_server: PageServer) -> None:
    base, other = page_server.base_url, f"http://localhost:{page_server.port}"
    page_server.robots_body = "User-agent: *\nDisallow: /private/\n"
    pages = [f"{base}/private/comwrap", f"{base}/huge", f"{base}/bomb", f"{base}/drip", f"{other}/retry-after/120"]
    feed = page_server.serve_feed("/decisions.rss", pages)
    page_server.serve("/broken.rss", "down", "text/plain", status=503)
    index = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{}</loc></sitemap></sitemapindex>'
    page_server.serve("/nested.xml", index.format(f"{base}/sitemap-news.xml"))
    source = Source(
        "local", "Local Times", "127.0.0.1", ZoneInfo("UTC"), "en",
        feeds=(feed, f"{base}/broken.rss"), sitemaps=(f"{base}/nested.xml",),
    )  # fmt: skip
    policy = replace(
        POLICY, retries=0, total_timeout=1, max_wait=60, allowed_hosts=frozenset({"127.0.0.1", "localhost"}),
        feed_backoff=FeedBackoff(after=1, base=timedelta(hours=1)), sitemap_limits=SitemapLimits(depth=0),
    )  # fmt: skip

    for _ in range(2):
        fetch(engine, {"local": source}, ["local"], policy=policy)

    reasons = {
        r["origin"].rsplit("/", 1)[1]: r["reason"]
        for r in rows(engine, "SELECT origin, reason FROM rejects ORDER BY last_seen_at, id")
    }
    assert reasons == {
        "comwrap": "robots-disallowed",
        "huge": "too-large",
        "bomb": "decompression-bomb",
        "drip": "timeout",
        "120": "retry-after",
        "broken.rss": "backoff",  # the first run's server-error, then backed off on the second
        "nested.xml": "sitemap-too-deep",
    }
    assert {r["reason"] for r in rows(engine, "SELECT reason FROM rejects WHERE origin LIKE '%%broken.rss'")} == {
        "server-error", "backoff"
    }  # fmt: skip
    assert page_server.hits["/private/comwrap"] == 0
    assert page_server.hits["/retry-after/120"] == 1, "the second run does not ask sooner than the first was told"
    [hold] = rows(engine, "SELECT host, held_until - set_at AS held FROM host_holds")
    assert hold["host"] == "localhost" and timedelta(seconds=100) < hold["held"] <= timedelta(seconds=120)
