"""The feeds, sitemaps and listing pages of each source, and how each fared run after run (`feed_health`)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from pipeline.fetch.backoff import FeedAttempt, FeedHealth
from pipeline.load.db import sql_file


def feed_health(engine: sa.Engine, source: str) -> dict[str, FeedHealth]:
    """How each of `source`'s feeds, sitemaps and listing pages fared so far, by URL."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql_file("fetch/feed_health.sql"), {"source": source})
        return {url: FeedHealth(url, failures, reason, next_at) for url, failures, reason, next_at in rows}


def record_feed_attempts(
    engine: sa.Engine, run_id: int, source: str, attempts: Iterable[tuple[FeedAttempt, FeedHealth]]
) -> None:
    """Store what the run's attempts at `source`'s feeds did, each with the health it leaves the feed in."""
    rows = [
        {
            "source": source,
            "url": attempt.url,
            "kind": attempt.kind,
            "failures": health.failures,
            "at": attempt.at,
            "reason": attempt.reason,
            "detail": attempt.detail,
            "next_attempt_at": health.next_attempt_at,
            "run_id": run_id,
        }
        for attempt, health in attempts
    ]
    if rows:
        with engine.begin() as connection:
            connection.exec_driver_sql(sql_file("fetch/record_feed_attempt.sql"), rows)
