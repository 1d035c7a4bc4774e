"""What the nights' report shows, read from the warehouse: arrivals per outlet, rejects, the biggest stories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from pipeline.load.db import sql_file


@dataclass(frozen=True, slots=True)
class NightCount:
    """Articles that arrived from one outlet on one night."""

    night: date
    """UTC day they were loaded."""
    source: str
    articles: int
    copies: int
    """Of those, articles in a story with other copies."""


@dataclass(frozen=True, slots=True)
class RejectCount:
    """Inputs rejected at one stage for one reason."""

    stage: str
    reason: str
    rejects: int
    example: str
    """One of their details, naming the input."""


@dataclass(frozen=True, slots=True)
class StoryCopy:
    """One copy of one of the biggest stories."""

    story_id: int
    copies: int
    """Copies the story has in all."""
    outlets: int
    outlet: str
    """The outlet's name."""
    title: str
    agencies: list[str]
    published_at: datetime | None
    canonical: bool


@dataclass(frozen=True, slots=True)
class QuietSource:
    """An outlet that yielded articles on most of its earlier nights and none on its latest."""

    slug: str
    name: str
    night_end: datetime
    """The end of its latest night (its data interval, or when a run outside Airflow recorded it)."""
    yielding: int
    """Of its earlier nights in the span (up to 7), those with articles."""
    nights: int
    feeds_answered: int
    feeds_tried: int
    pages_tried: int
    """New article pages its feeds listed on the latest night."""
    reasons: str | None
    """The latest night's rejects by reason, when there were any."""


@dataclass(frozen=True, slots=True)
class Nights:
    """The warehouse's nights from `since` to `until`."""

    since: datetime
    until: datetime
    counts: list[NightCount]
    rejects: list[RejectCount]
    stories: list[StoryCopy]
    """The copies of the biggest stories, story by story, each story's earliest copy first."""
    quiet: list[QuietSource]


def read_nights(engine: sa.Engine, since: datetime, until: datetime, stories: int = 10) -> Nights:
    """What arrived from `since` to `until`: counts per outlet and night, rejects by reason, the `stories` biggest
    stories with their copies, and the outlets that went quiet."""
    span = {"since": since, "until": until, "limit": stories}
    with engine.connect() as connection:
        counts = [
            NightCount(*row) for row in connection.exec_driver_sql(sql_file("report/articles_per_night.sql"), span)
        ]
        rejects = [
            RejectCount(*row) for row in connection.exec_driver_sql(sql_file("report/rejects_by_reason.sql"), span)
        ]
        copies = [StoryCopy(*row) for row in connection.exec_driver_sql(sql_file("report/biggest_stories.sql"), span)]
        quiet = [QuietSource(*row) for row in connection.exec_driver_sql(sql_file("report/quiet_sources.sql"), span)]
    return Nights(since, until, counts, rejects, copies, quiet)
