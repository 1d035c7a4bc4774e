"""Source health with dag.test(): a source whose feed answers HTTP 500 all night, and one that goes quiet."""

from __future__ import annotations

import html
import logging
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.dags.conftest import Records, dag_named
from tests.dags.mail import Mailbox
from tests.dags.site import STORIES, WireSite
from tests.dags.test_wire_ingest import IN_THE_NIGHT, NIGHT, task_states, write_sources

DEAD_FEED = "/dead/feed.rss"


def write_two_sources(path: Path, site: WireSite) -> None:
    """The test site's outlet, and a second outlet on the same server whose feed is DEAD_FEED."""
    write_sources(path, site)
    with path.open("a", encoding="utf-8") as sources:
        sources.write(
            '\n[sources.dead-wire]\nname = "Dead Wire"\ndomain = "127.0.0.1"\ntimezone = "UTC"\nlanguage = "en"\n'
            f'feeds = ["{site.base_url}{DEAD_FEED}"]\n'
        )


def quick_retries(dag: Any) -> Any:
    """`dag` with one retry a second after a failure, so a test sees a task fail for good."""
    for task in dag.tasks:
        task.retries = 1
        task.retry_delay = timedelta(seconds=1)
    return dag


def asset_extras() -> list[dict[str, Any]]:
    """The `extra` of each wiredesk_articles asset event, oldest first."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        query = (
            sa.select(AssetEvent.extra)
            .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
            .where(AssetModel.name == "wiredesk_articles")
            .order_by(AssetEvent.id)
        )
        return [dict(extra) for extra in session.scalars(query)]


def source_health(engine: sa.Engine) -> dict[str, Any]:
    """The source_health view, by source."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM source_health").mappings().all()
    return {row["source"]: row for row in rows}


def test_a_source_whose_feed_answers_500_fails_its_fetch_and_the_night(
    airflow_db: Path, warehouse_connection: sa.Engine, wiredesk_env: Path, pipeline_log: Records, mailbox: Mailbox
) -> None:
    dag = quick_retries(dag_named("wire_ingest"))
    with WireSite(IN_THE_NIGHT) as site:
        site.failing = {DEAD_FEED}
        write_two_sources(wiredesk_env, site)
        run = dag.test(logical_date=NIGHT)
    assert site.hits[DEAD_FEED] >= 2, "the dead feed was asked for again on the retry"

    assert run.state == "failed", task_states(run)
    states = task_states(run)
    assert (states["fetch[0]"], states["fetch[1]"]) == ("success", "failed")
    fetches = {ti.map_index: ti for ti in run.get_task_instances() if ti.task_id == "fetch"}
    assert fetches[1].try_number == 2, "the fetch task of the dead source was retried"
    assert {ti.rendered_map_index for ti in fetches.values()} == {"wire-site", "dead-wire"}
    assert fetches[1].rendered_map_index == "dead-wire"
    assert (states["extract[-1]"], states["dedupe[-1]"]) == ("success", "success"), "the live source went on"
    assert (states["check[-1]"], states["publish[-1]"]) == ("failed", "upstream_failed")

    [summary, _] = [line for line in pipeline_log.at(logging.INFO) if "dead-wire: feeds 1 of 1 failed" in line]
    # The fetch task's own lines name their source, even those that would not.
    assert [line for line in pipeline_log.lines() if line.startswith("wire-site: ingest run ")]
    assert "(server-error ×1 at fetch, e.g. " in summary and f"{DEAD_FEED}: HTTP 500" in summary
    [check] = [line for line in pipeline_log.at(logging.ERROR) if "unreachable_sources" in line]
    assert check.startswith("FAILED unreachable_sources = 1")
    assert "dead-wire: every request failed (1 of 1 feeds, 0 of 0 pages): server-error ×1 at fetch" in check

    engine = warehouse_connection
    with engine.connect() as connection:
        runs = connection.exec_driver_sql(
            "SELECT status, error FROM ingest_runs WHERE task_id = 'fetch[1]' ORDER BY id"
        ).all()
    assert [run.status for run in runs] == ["failed", "failed"]
    assert all("dead-wire: every request failed" in (run.error or "") for run in runs)
    health = source_health(engine)
    dead = health["dead-wire"]
    assert (dead["failing_runs"], dead["failing_nights"], dead["last_success_at"]) == (2, 1, None), "2 tries, 1 night"
    assert "server-error ×1 at fetch" in health["dead-wire"]["reasons"]
    assert (health["wire-site"]["failing_runs"], health["wire-site"]["articles_new"]) == (0, 5)

    # One mail per task that failed for good, each naming the source and the reason.
    mails = dict(mailbox.texts())
    assert set(mails) == {"wiredesk: wire_ingest fetch[dead-wire] failed", "wiredesk: wire_ingest check failed"}
    for body in mails.values():
        assert "dead-wire: every request failed (1 of 1 feeds, 0 of 0 pages): server-error ×1 at fetch" in body
        assert f"{DEAD_FEED}: HTTP 500" in body
    assert [m["to"] for m in mailbox.messages] == ["desk@127.0.0.1"] * 2


def test_a_source_that_usually_yields_and_yields_nothing_fails_the_check_or_warns(
    airflow_db: Path, warehouse_connection: sa.Engine, wiredesk_env: Path, pipeline_log: Records, mailbox: Mailbox
) -> None:
    dag = dag_named("wire_ingest")
    nights = [NIGHT - timedelta(days=2), NIGHT - timedelta(days=1)]
    events_before = len(asset_extras())
    with WireSite(IN_THE_NIGHT) as site:
        write_sources(wiredesk_env, site)
        for night, listed in zip(nights, (STORIES[:2], STORIES[2:]), strict=True):
            site.listed = listed
            earlier = dag.test(logical_date=night)
            assert earlier.state == "success", task_states(earlier)
        # The night's totals travel with the asset event (the first night's feed listed the mirrored story too).
        events = asset_extras()[events_before:]
        assert [(extra["articles_new"], extra["sources"], extra["rejected"]) for extra in events] == [
            (3, 1, 1),
            (2, 1, 1),
        ]

        # Tonight the feed lists nothing. The outlet is the night's only one, so `articles_loaded` would fail the
        # night by itself: its limit is lowered to see the check on sources alone.
        site.listed, site.lists_gone_link = (), False
        quiet = {"min_articles": 0}
        warned = dag.test(logical_date=NIGHT, run_conf=quiet | {"source_checks": "warn"})
        assert warned.state == "success", task_states(warned)
        [warning] = [line for line in pipeline_log.at(logging.WARNING) if "silent_sources" in line]
        assert warning.startswith("WARNING silent_sources = 1")
        assert "wire-site: no article tonight, after articles on 2 of its last 2 night(s)" in warning
        assert not [line for line in pipeline_log.at(logging.ERROR) if "silent_sources" in line]
        [(subject, body)] = mailbox.texts()
        assert subject == "wiredesk: wire_ingest check warns: silent_sources"
        assert "wire-site: no article tonight" in body
        # The night is published, and its report names the outlet that went quiet.
        report = (
            wiredesk_env.parent
            / "data"
            / "reports"
            / re.sub(r"[^A-Za-z0-9._-]+", "_", f"wire_ingest__{warned.run_id}.html")
        )
        assert _quiet_rows(report.read_text(encoding="utf-8")) == [
            ["Wire Site (wire-site)", "2026-11-28 02:00", "2 of 2", "1 of 1 answered, 0 new page(s) listed", ""]
        ]

        # dag.test() runs the tasks in this process, where one run's conf lingers in the next: say it all again.
        failed = dag.test(logical_date=NIGHT, run_conf=quiet | {"source_checks": "fail"})
    assert failed.state == "failed", task_states(failed)
    assert task_states(failed)["check[-1]"] == "failed"
    [error] = [line for line in pipeline_log.at(logging.ERROR) if "silent_sources" in line]
    assert error.startswith("FAILED silent_sources = 1") and "wire-site: no article tonight" in error
    assert [subject for subject, _ in mailbox.texts()][1:] == ["wiredesk: wire_ingest check failed"]


def _quiet_rows(page: str) -> list[list[str]]:
    """The cells of the report's rows of outlets that went quiet."""
    rows = re.findall(r'<tr class="quiet">(.*?)</tr>', page)
    return [[html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row)] for row in rows]
