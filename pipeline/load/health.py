"""Source health: what each run asked of each outlet and what came back, recorded per run in `source_runs`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from pipeline.load.db import sql_file


@dataclass(frozen=True, slots=True)
class RejectClass:
    """Rejects of one source at one stage for one reason, counted, with one example."""

    stage: str
    reason: str
    count: int
    example: str
    """One of their details, naming the input."""

    def summary(self) -> str:
        """`server-error ×3 at fetch, e.g. http://.../feed.rss: HTTP 500 (4 attempts)`."""
        return f"{self.reason} ×{self.count} at {self.stage}, e.g. {self.example}"


@dataclass(slots=True)
class SourceRequests:
    """The requests a run made for one source, counted as it makes them."""

    feeds_tried: int = 0
    """Listing documents asked for: feeds, sitemaps (with their children) and listing pages."""
    feeds_failed: int = 0
    pages_tried: int = 0
    """Article pages asked for."""
    pages_failed: int = 0


@dataclass(frozen=True, slots=True)
class SourceActivity:
    """What one run did for one source, as recorded at its end."""

    source: str
    requests: SourceRequests = field(default_factory=SourceRequests)
    read: int = 0
    """Inputs of the source the run read (failed requests included)."""
    rejects: tuple[RejectClass, ...] = ()

    @property
    def rejected(self) -> int:
        """Inputs of the source rejected, at any stage."""
        return sum(reject.count for reject in self.rejects)


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """One source's health in one run: its activity and the articles the run inserted for it."""

    activity: SourceActivity
    articles_new: int

    @property
    def source(self) -> str:
        """The source's slug."""
        return self.activity.source

    @property
    def all_requests_failed(self) -> bool:
        """Whether the run asked the source for something and every request failed."""
        requests = self.activity.requests
        tried = requests.feeds_tried + requests.pages_tried
        return tried > 0 and requests.feeds_failed + requests.pages_failed == tried

    def summary(self) -> str:
        """One line naming the source: `gulf-times: feeds 1 of 1 failed · pages 0 of 0 failed · new 0 · rejected 1`,
        then the reasons."""
        requests = self.activity.requests
        line = (
            f"{self.source}: feeds {requests.feeds_failed} of {requests.feeds_tried} failed · pages "
            f"{requests.pages_failed} of {requests.pages_tried} failed · new {self.articles_new} · "
            f"rejected {self.activity.rejected}"
        )
        reasons = "; ".join(reject.summary() for reject in self.activity.rejects)
        return f"{line} ({reasons})" if reasons else line


def record_source_runs(engine: sa.Engine, run_id: int, activities: Iterable[SourceActivity]) -> list[SourceHealth]:
    """Record what run `run_id` did for each source, counting the articles it inserted for each; their health."""
    health = []
    with engine.begin() as connection:
        for activity in activities:
            requests = activity.requests
            params = {
                "run_id": run_id,
                "source": activity.source,
                "feeds_tried": requests.feeds_tried,
                "feeds_failed": requests.feeds_failed,
                "pages_tried": requests.pages_tried,
                "pages_failed": requests.pages_failed,
                "read": activity.read,
                "rejected": activity.rejected,
            }
            articles_new = connection.exec_driver_sql(sql_file("health/insert_source_run.sql"), params).scalar_one()
            for reject in activity.rejects:
                connection.exec_driver_sql(
                    sql_file("health/insert_source_run_rejects.sql"),
                    {"run_id": run_id, "source": activity.source, "stage": reject.stage, "reason": reject.reason,
                     "rejects": reject.count, "example": reject.example},
                )  # fmt: skip
            health.append(SourceHealth(activity, int(articles_new)))
    return health
