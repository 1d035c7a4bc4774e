"""Pacing and back-off per host, read off the log of a real server on 127.0.0.1: Crawl-delay, Retry-After,
hosts that never answer."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from pipeline.errors import RejectedInput
from pipeline.fetch.http import PoliteClient
from pipeline.fetch.pacing import HostGate
from pipeline.record import Reject
from pipeline.run import fetch
from pipeline.sources import Source
from tests.fetch.server import PageServer
from tests.fetch.test_http import POLICY, FakeTime, rejected

ROBOTS = """User-agent: *
Disallow: /*.pdf$
Disallow: /private/
Allow: /private/ok/
Crawl-delay: 2
"""


def rows(engine: sa.Engine, query: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query).mappings())


def gaps(page_server: PageServer) -> list[float]:
    """Seconds between consecutive requests in the server's log."""
    times = [at for at, _ in page_server.log]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_robots_rules_and_crawl_delay_hold_for_a_whole_fetch_run(engine: sa.Engine, page_server: PageServer) -> None:
    page_server.robots_body = ROBOTS
    allowed = ["/page/comwrap", "/private/ok/comwrap", "/doc/report.pdf?download=1", "/doc/report.pdfx"]
    disallowed = ["/doc/report.pdf", "/private/comwrap", "/private/secret.pdf"]
    for path in allowed + disallowed:
        if not path.startswith(("/page/", "/private/")):
            page_server.serve(path.split("?")[0], "<html><body><p>A page.</p></body></html>")
    feed = page_server.serve_feed("/rules.rss", [f"{page_server.base_url}{path}" for path in allowed + disallowed])
    source = Source("local", "Local Times", "127.0.0.1", ZoneInfo("UTC"), "en", feeds=(feed,))
    policy = replace(POLICY, min_interval=0, allowed_hosts=frozenset({"127.0.0.1"}))

    fetch(engine, {"local": source}, ["local"], policy=policy)

    requested = [path for _, path in page_server.log]
    assert requested[:2] == ["/robots.txt", "/rules.rss"]
    assert sorted(requested[2:]) == sorted(path.split("?")[0] for path in allowed)
    assert all(gap >= 2.0 for gap in gaps(page_server)), gaps(page_server)
    rejects = rows(engine, "SELECT origin, reason FROM rejects")
    reasons = {r["origin"].removeprefix(page_server.base_url): r["reason"] for r in rejects}
    assert {path: reasons.get(path) for path in disallowed} == dict.fromkeys(disallowed, "robots-disallowed")


def test_allow_all_before_a_disallow_keeps_the_disallowed_pages_unasked(page_server: PageServer) -> None:
    page_server.robots_body = "User-agent: *\nAllow: /\nDisallow: /private/\n"
    urls = [f"{page_server.base_url}/private/comwrap", f"{page_server.base_url}/page/comwrap"]
    with PoliteClient(POLICY) as polite:
        results = list(polite.fetch_many((url, None) for url in urls))
    assert [r.reason for r in results if isinstance(r, Reject)] == ["robots-disallowed"]
    assert not [path for _, path in page_server.log if path.startswith("/private/")]


def test_a_429_with_retry_after_holds_the_whole_host_back(page_server: PageServer) -> None:
    base = page_server.base_url
    with PoliteClient(POLICY) as polite:
        assert polite.fetch(f"{base}/retry-after/3").status == 200
        polite.fetch(f"{base}/page/comwrap")
    [(asked, _)] = [entry for entry in page_server.log if entry[1] == "/retry-after/3"][:1]
    after = [at for at, _ in page_server.log if at > asked]
    assert after and min(after) - asked >= 3.0


def test_a_503_with_a_retry_after_date_is_honoured(page_server: PageServer) -> None:
    with PoliteClient(POLICY) as polite:
        assert polite.fetch(f"{page_server.base_url}/retry-after-date/3").status == 200
    first, second = [at for at, path in page_server.log if path == "/retry-after-date/3"]
    assert second - first >= 2.0, "an HTTP-date has whole seconds: at least 2 of the 3 asked"


def test_a_retry_after_past_what_the_run_waits_defers_every_url_of_the_host(page_server: PageServer) -> None:
    base = page_server.base_url
    started = time.monotonic()
    with PoliteClient(replace(POLICY, max_wait=60)) as polite:
        first = rejected(polite, f"{base}/retry-after/120")
        second = rejected(polite, f"{base}/page/comwrap")
    assert time.monotonic() - started < 5
    assert first.reason == second.reason == "retry-after" and "later run" in second.detail
    assert (page_server.hits["/retry-after/120"], page_server.hits["/page/comwrap"]) == (1, 0)


def test_a_server_that_never_answers_costs_the_timeout_per_request(page_server: PageServer) -> None:
    policy = replace(POLICY, retries=0, total_timeout=1, read_timeout=20, connect_timeout=20)
    with PoliteClient(policy) as polite:
        polite.fetch(f"{page_server.base_url}/page/comwrap")  # robots.txt read first
        started = time.monotonic()
        error = rejected(polite, f"{page_server.base_url}/hang/1")
        elapsed = time.monotonic() - started
    assert error.reason == "timeout"
    assert 1.0 <= elapsed < 1.5


def test_a_host_that_stops_answering_is_given_up_for_the_run(page_server: PageServer) -> None:
    policy = replace(POLICY, retries=1, total_timeout=1, max_host_failures=3)
    urls = [f"{page_server.base_url}/hang/{n}" for n in range(6)]
    started = time.monotonic()
    with PoliteClient(policy) as polite:
        results = list(polite.fetch_many((url, None) for url in urls))
    assert time.monotonic() - started < 3 * 1.5
    assert [r.reason for r in results if isinstance(r, Reject)] == ["timeout"] * 6
    assert sum(1 for _, path in page_server.log if path.startswith("/hang/")) == 3
    assert sum("given up for this run" in r.detail for r in results if isinstance(r, Reject)) == 5


def test_a_crawl_delay_longer_than_the_run_waits_defers_the_rest() -> None:
    fake = FakeTime()
    gate = HostGate("example.com", 1, 0.0, fake.clock, fake.sleep)
    gate.pace(600)
    with gate.slot("https://example.com/a", 120):
        pass
    with pytest.raises(RejectedInput) as caught, gate.slot("https://example.com/b", 120):
        pass
    assert caught.value.reason == "crawl-delay" and fake.sleeps == []


def test_pacing_from_robots_counts_from_the_last_request() -> None:
    fake = FakeTime()
    gate = HostGate("example.com", 1, 0.5, fake.clock, fake.sleep)
    with gate.slot("https://example.com/robots.txt", 120):
        pass
    gate.pace(2.0)
    with gate.slot("https://example.com/a", 120):
        pass
    gate.pace(0.1)  # a robots.txt read again, asking less: the configured interval is a floor
    for path in ("b", "c"):
        with gate.slot(f"https://example.com/{path}", 120):
            pass
    assert fake.sleeps == [2.0, 2.0, 0.5]
