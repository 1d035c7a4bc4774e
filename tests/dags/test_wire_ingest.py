"""wire_ingest end to end with dag.test(): a real outlet on 127.0.0.1, the real warehouse, twice the same night."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.dags.conftest import dag_named
from tests.dags.site import STORIES, WireSite

NIGHT = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
"""Logical date of the run under test: its data interval is the 24 hours before."""
IN_THE_NIGHT = "Fri, 27 Nov 2026 10:00:00 GMT"
ONE_NIGHT = {
    "raw_documents": 4,
    "articles": 5,
    "stories": 4,
    "rejects": 1,
    "article_search": 5,
    "story_sizes": [2, 1, 1, 1],
}
"""What the site's night leaves: four stories, one run twice by the outlet (two URLs, one body), the withdrawn link a
reject."""


def write_sources(path: Path, site: WireSite) -> None:
    """A sources file with one outlet: the test site."""
    path.write_text(
        '[sources.wire-site]\nname = "Wire Site"\ndomain = "127.0.0.1"\ntimezone = "UTC"\nlanguage = "en"\n'
        f'feeds = ["{site.base_url}/feed.rss"]\n',
        encoding="utf-8",
    )


def warehouse_counts(engine: sa.Engine) -> dict[str, Any]:
    """How many rows each table holds, and the stories' sizes."""
    with engine.connect() as connection:
        counts = {
            table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in ("raw_documents", "articles", "stories", "rejects", "article_search")
        }
        sizes = connection.exec_driver_sql("SELECT copies FROM stories ORDER BY copies DESC, id").scalars().all()
        return counts | {"story_sizes": list(sizes)}


def task_states(run: Any) -> dict[str, str]:
    """Each task instance's state, for assertion messages."""
    return {f"{ti.task_id}[{ti.map_index}]": ti.state for ti in run.get_task_instances()}


def test_a_night_lands_once_and_running_it_again_changes_nothing(
    airflow_db: Path, warehouse_connection: sa.Engine, wiredesk_env: Path
) -> None:
    engine = warehouse_connection
    dag = dag_named("wire_ingest")
    with WireSite(IN_THE_NIGHT) as site:
        write_sources(wiredesk_env, site)
        first = dag.test(logical_date=NIGHT)
        assert first.state == "success", task_states(first)
        after_first = warehouse_counts(engine)
        pages_fetched = sum(site.hits[f"/news/{name}"] for name in STORIES)

        second = dag.test(logical_date=NIGHT)
        assert second.state == "success", task_states(second)
        assert warehouse_counts(engine) == after_first
        assert sum(site.hits[f"/news/{name}"] for name in STORIES) == pages_fetched, "stored pages are skipped"

    assert after_first == ONE_NIGHT
    with engine.connect() as connection:
        runs = connection.exec_driver_sql(
            "SELECT dag_id, task_id, status, window_start, window_end FROM ingest_runs WHERE dag_run_id IS NOT NULL"
        ).all()
        reject = connection.exec_driver_sql("SELECT origin, stage, reason FROM rejects").one()
    assert {(r.dag_id, r.task_id, r.status) for r in runs} == {
        ("wire_ingest", "fetch[0]", "succeeded"),
        ("wire_ingest", "extract", "succeeded"),
        ("wire_ingest", "dedupe", "succeeded"),
    }
    assert {(r.window_start, r.window_end) for r in runs} == {(datetime(2026, 11, 27, 2, tzinfo=UTC), NIGHT)}
    assert (reject.origin.endswith("/news/withdrawn"), reject.stage, reject.reason) == (True, "fetch", "http-404")


def test_a_failed_check_fails_the_night_at_once_and_nothing_is_published(
    airflow_db: Path, warehouse_connection: sa.Engine, wiredesk_env: Path
) -> None:
    dag = dag_named("wire_ingest")
    with WireSite(IN_THE_NIGHT) as site:
        write_sources(wiredesk_env, site)
        run = dag.test(logical_date=NIGHT, run_conf={"min_articles": 100})
    assert run.state == "failed"
    instances = {ti.task_id: ti for ti in run.get_task_instances()}
    assert (instances["check"].state, instances["check"].try_number) == ("failed", 1), "a failed check is not retried"
    assert instances["publish"].state == "upstream_failed"
    with warehouse_connection.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM article_search").scalar_one() == 0
