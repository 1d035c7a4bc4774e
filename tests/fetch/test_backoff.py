"""Feeds that keep failing are asked again after a back-off across runs, kept in `feed_health`, not every night."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from pipeline.fetch.backoff import FeedAttempt, FeedBackoff, FeedHealth, health_after
from pipeline.run import fetch
from pipeline.sources import Source
from tests.fetch.server import PageServer
from tests.fetch.test_http import POLICY

NOON = datetime(2022, 1, 22, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("failures", "wait"),
    [
        (1, None),
        (2, None),
        (3, timedelta(days=1.5)),
        (4, timedelta(days=2.5)),
        (5, timedelta(days=4.5)),
        (8, timedelta(days=30.5)),
        (400, timedelta(days=30.5)),
    ],
)
def test_the_wait_doubles_after_three_failures_up_to_a_month(failures: int, wait: timedelta | None) -> None:
    expected = NOON + wait if wait else None
    assert FeedBackoff().next_attempt(failures, NOON) == expected


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"after": 0}, "after must be >= 1"),
        ({"base": timedelta(0)}, "base must be > 0"),
        ({"cap": timedelta(hours=1)}, "cap >= base"),
    ],
)
def test_the_backoff_refuses_bad_values_with_a_specific_message(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FeedBackoff(**change)


def test_a_success_clears_the_failures_and_a_failure_adds_one() -> None:
    failing = FeedHealth("https://example.com/feed", 3, "server-error", NOON)
    read = health_after(FeedAttempt("https://example.com/feed", "feed", NOON), failing, FeedBackoff())
    assert (read.failures, read.last_reason, read.next_attempt_at) == (0, None, None)
    failed = health_after(FeedAttempt(failing.url, "feed", NOON, "timeout", "why"), failing, FeedBackoff())
    assert (failed.failures, failed.last_reason, failed.next_attempt_at) == (4, "timeout", NOON + timedelta(days=2.5))


def rows(engine: sa.Engine, query: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query).mappings())


def test_a_feed_failing_three_runs_is_skipped_by_backoff_on_the_fourth(
    engine: sa.Engine, page_server: PageServer
) -> None:
    base = page_server.base_url
    page_server.serve("/feed.xml", "down for maintenance", "text/plain", status=500)
    source = Source("local", "Local Times", "127.0.0.1", ZoneInfo("UTC"), "en", feeds=(f"{base}/feed.xml",))
    policy = replace(POLICY, retries=0, allowed_hosts=frozenset({"127.0.0.1"}))

    for _ in range(4):
        fetch(engine, {"local": source}, ["local"], policy=policy)

    assert page_server.hits["/feed.xml"] == 3, "asked on three runs, left alone on the fourth"
    [health] = rows(engine, "SELECT * FROM feed_health")
    assert (health["kind"], health["consecutive_failures"], health["last_reason"]) == ("feed", 3, "server-error")
    assert health["next_attempt_at"] > datetime.now(UTC) + timedelta(days=1)
    assert health["last_success_at"] is None
    rejects = rows(engine, "SELECT reason, times_seen, detail FROM rejects ORDER BY reason")
    assert [(r["reason"], r["times_seen"]) for r in rejects] == [("backoff", 1), ("server-error", 3)]
    assert "failed 3 runs in a row (last: server-error)" in rejects[0]["detail"]

    # Once the wait is over, the feed is asked again; read, it is healthy.
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE feed_health SET next_attempt_at = now() - interval '1 minute'")
    page_server.serve_feed("/feed.xml", [f"{base}/page/comwrap"])
    fetch(engine, {"local": source}, ["local"], policy=policy)
    [health] = rows(engine, "SELECT * FROM feed_health")
    assert (health["consecutive_failures"], health["last_reason"], health["next_attempt_at"]) == (0, None, None)
    assert health["last_success_at"] is not None and page_server.hits["/page/comwrap"] == 1


def test_a_one_off_feed_is_asked_whatever_its_health(engine: sa.Engine, page_server: PageServer) -> None:
    base = page_server.base_url
    page_server.serve("/feed.xml", "gone", "text/plain", status=500)
    source = Source("local", "Local Times", "127.0.0.1", ZoneInfo("UTC"), "en", feeds=(f"{base}/feed.xml",))
    policy = replace(POLICY, retries=0, allowed_hosts=frozenset({"127.0.0.1"}))
    for _ in range(4):
        fetch(engine, {"local": source}, ["local"], feed=f"{base}/feed.xml", policy=policy)
    assert page_server.hits["/feed.xml"] == 4
