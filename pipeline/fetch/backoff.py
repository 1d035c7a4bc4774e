"""Feeds, sitemaps and listing pages that keep failing are asked again after a back-off across runs, not nightly.

A feed may fail a night or two (a deploy, an outage) and is asked again the next run. After `after` failures in
a row it is left alone for `base`, then twice that after the next failure, and so on up to `cap`: a feed that is
gone costs its publisher one request now and then, not one a night. What each feed did is kept in the warehouse
(`feed_health`); this module decides, from that, whether a run asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pipeline.errors import RejectedInput

BACKOFF = "backoff"
"""The reason of a feed not asked this run because it failed too many runs in a row."""


@dataclass(frozen=True, slots=True)
class FeedBackoff:
    """When a feed that keeps failing is asked again."""

    after: int = 3
    """Failures in a row asked again at every run, before the back-off starts."""
    base: timedelta = timedelta(days=1)
    """The first wait; each further failure doubles it."""
    cap: timedelta = timedelta(days=30)
    """The longest wait."""

    def __post_init__(self) -> None:
        if self.after < 1:
            raise ValueError(f"after must be >= 1, got {self.after}")
        if self.base <= timedelta(0) or self.cap < self.base:
            raise ValueError(f"base must be > 0 and cap >= base, got {self.base} and {self.cap}")

    def next_attempt(self, failures: int, failed_at: datetime) -> datetime | None:
        """When a feed that has now failed `failures` runs in a row may be asked again; None: at the next run."""
        if failures < self.after:
            return None
        wait = self.base
        for _ in range(failures - self.after):
            if wait >= self.cap:
                break
            wait *= 2
        # Half a base more than the doubling: a run on a schedule of `base` (nightly) then falls clearly before
        # or after the next attempt, whatever minutes the schedule drifts by.
        return failed_at + min(wait, self.cap) + self.base / 2


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """How one feed, sitemap or listing page fared in the runs before this one."""

    url: str
    """The document's URL, as the sources file (or robots.txt) names it."""
    failures: int
    """Runs in a row it failed in (0 after a success)."""
    last_reason: str | None
    """The reason of its last failure."""
    next_attempt_at: datetime | None
    """When it may be asked again; None: at the next run."""


@dataclass(frozen=True, slots=True)
class FeedAttempt:
    """One feed, sitemap or listing page asked for by this run, and how that went."""

    url: str
    """The document's URL."""
    kind: str
    """`feed`, `sitemap` or `listing-page`."""
    at: datetime
    """When it was asked for (aware)."""
    reason: str | None = None
    """The reject's reason when it failed; None when it was read."""
    detail: str | None = None
    """The reject's detail when it failed."""


def refuse_while_backing_off(health: FeedHealth | None, now: datetime) -> None:
    """Return when the feed may be asked now; raise RejectedInput (`backoff`) while it waits out its back-off."""
    if health is None or health.next_attempt_at is None or now >= health.next_attempt_at:
        return
    failed = f"failed {health.failures} runs in a row (last: {health.last_reason})"
    when = health.next_attempt_at.isoformat(timespec="seconds")
    raise RejectedInput(BACKOFF, f"{health.url}: not asked: {failed}; asked again after {when}")


def health_after(attempt: FeedAttempt, previous: FeedHealth | None, backoff: FeedBackoff) -> FeedHealth:
    """The feed's health once `attempt` is counted: failures cleared by a success, or one more and a back-off."""
    if attempt.reason is None:
        return FeedHealth(attempt.url, 0, None, None)
    failures = (previous.failures if previous else 0) + 1
    return FeedHealth(attempt.url, failures, attempt.reason, backoff.next_attempt(failures, attempt.at))
