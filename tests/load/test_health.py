"""Source health on the real warehouse: each run's requests per source, and the failing streak source_health shows."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from pipeline.load.health import RejectClass, SourceActivity, SourceRequests, record_source_runs
from pipeline.load.runs import finish_run, start_run, sync_sources
from pipeline.sources import Source

SERVER_ERROR = RejectClass("fetch", "server-error", 1, "https://thepeninsulaqatar.com/feed: HTTP 500 (4 attempts)")


def a_run(engine: sa.Engine, *, failed: bool) -> int:
    """A fetch run that asked the Peninsula for its feed: answered, or not (HTTP 500)."""
    run_id = start_run(engine, "fetch", ["peninsula"])
    requests = SourceRequests(feeds_tried=1, feeds_failed=int(failed))
    rejects = (SERVER_ERROR,) if failed else ()
    [health] = record_source_runs(engine, run_id, [SourceActivity("peninsula", requests, int(failed), rejects)])
    assert health.all_requests_failed is failed
    finish_run(engine, run_id, error="SourceUnreachable: peninsula" if failed else None)
    return run_id


def peninsula_health(engine: sa.Engine) -> dict[str, Any]:
    """The Peninsula's row of source_health."""
    with engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT * FROM source_health WHERE source = 'peninsula'").mappings().one()
    return dict(row)


def test_the_failing_streak_counts_runs_since_the_last_that_went_through(engine: sa.Engine, peninsula: Source) -> None:
    sync_sources(engine, [peninsula])
    assert peninsula_health(engine)["failing_runs"] == 0 and peninsula_health(engine)["last_run_id"] is None

    answered = a_run(engine, failed=False)
    a_run(engine, failed=True)
    last = a_run(engine, failed=True)
    health = peninsula_health(engine)
    assert (health["last_run_id"], health["failing_runs"], health["feeds_failed"]) == (last, 2, 1)
    assert health["failing_nights"] == 2, "runs outside Airflow are a night each"
    assert health["reasons"] == f"server-error ×1 at fetch, e.g. {SERVER_ERROR.example}"
    with engine.connect() as connection:
        answered_at = connection.exec_driver_sql(
            "SELECT recorded_at FROM source_runs WHERE run_id = %(id)s", {"id": answered}
        ).scalar_one()
    assert health["last_success_at"] == answered_at

    a_run(engine, failed=False)
    assert peninsula_health(engine)["failing_runs"] == 0


def test_a_run_that_asked_nothing_is_not_a_failure(engine: sa.Engine, peninsula: Source) -> None:
    sync_sources(engine, [peninsula])
    run_id = start_run(engine, "ingest", ["a dump"])
    [health] = record_source_runs(engine, run_id, [SourceActivity("peninsula", read=3)])
    assert not health.all_requests_failed and health.articles_new == 0
    assert health.summary() == "peninsula: feeds 0 of 0 failed · pages 0 of 0 failed · new 0 · rejected 0"
