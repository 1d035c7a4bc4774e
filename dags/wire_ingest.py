"""
### wire_ingest: the night's wire stories, from the outlets' feeds and sitemaps to the warehouse

Every night (cron `WIREDESK_SCHEDULE`, default `0 2 * * *` UTC) for the day that ended, each run covers its
**data interval**, the 24 hours before it:

1. **list_sources** reads the sources file (`WIREDESK_SOURCES`, else the shipped `config/sources.toml`).
2. **fetch** (one mapped task per source, in the `wiredesk_fetch` pool) reads the source's feeds (every item not
   stored yet) and sitemaps (items published in the interval), downloads the new pages, keeps them as raw
   documents, extracts their articles and loads them; a page that fails becomes a reject with its reason. A source
   whose every request failed (its feed answers HTTP 500, its site is down) fails its task, retried, with the
   reasons in its log; the other sources go on.
3. **extract** extracts the stored pages still waiting for it (kept by `wiredesk fetch --fetch-only`); it runs once
   every fetch task has ended, failed or not.
4. **dedupe** places the new articles in stories: AFP/Reuters copies join the story they repeat.
5. **check** runs the data-quality checks on the night: articles loaded, no untitled or empty article, no
   duplicate canonical URL, every article in a story, rejects under `max_reject_share`; and on the sources: none
   whose every request failed, none that usually yields articles and yielded none tonight (these fail the night,
   or only warn with `source_checks` = `warn`); and every source's fetch ended (a fetch task that failed for
   another reason, a bug or the warehouse, always fails the night).
6. **publish** indexes the night for search, refreshes the summaries and updates the `wiredesk_articles` asset.

Rerunning or backfilling a night is safe: stored pages are skipped, nothing is loaded twice. Each task's counts are
in its log and in the warehouse: `SELECT * FROM ingest_runs WHERE dag_run_id = '<run id>'`; rejects with reasons
in `rejects`; each source's health, night after night, in the view `source_health`. The warehouse is the Airflow
connection `wiredesk_warehouse`.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum

# Each task imports pipeline when it runs: the DAG processor parses this file often, and must do it fast.
# pipeline.alerts is the exception: it imports Airflow only.
from airflow.sdk import Asset, CronDataIntervalTimetable, Param, dag, task

from pipeline.alerts import AlertNotifier, run_deadline

WAREHOUSE_ARTICLES = Asset(name="wiredesk_articles", uri="wiredesk://warehouse/articles")
FETCH_POOL = "wiredesk_fetch"


@dag(
    dag_id="wire_ingest",
    description="Nightly: the outlets' new wire stories from their feeds and sitemaps into the warehouse, checked, "
    "then published.",
    # A data-interval timetable gives each night a real window (a trigger timetable's interval is empty).
    schedule=CronDataIntervalTimetable(os.environ.get("WIREDESK_SCHEDULE", "0 2 * * *"), timezone="UTC"),
    start_date=pendulum.datetime(2022, 1, 1, tz="UTC"),
    catchup=os.environ.get("WIREDESK_CATCHUP", "") == "1",
    max_active_runs=1,
    doc_md=__doc__,
    tags=["wiredesk", "ingest", "nightly"],
    # A night still running WIREDESK_DEADLINE_MINUTES (240) after it was queued sends the deadline alert.
    deadline=run_deadline(),
    default_args={
        "owner": "wiredesk",
        "retries": 3,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=30),
        "execution_timeout": timedelta(hours=2),
        # A task that failed for good (retries spent) alerts through the connection wiredesk_alerts, if defined.
        "on_failure_callback": AlertNotifier(),
    },
    params={
        "min_articles": Param(1, type="integer", minimum=0, description="Fewest articles a night may have."),
        "max_reject_share": Param(
            0.5, type="number", minimum=0, maximum=1, description="Largest share of listed inputs rejected."
        ),
        "source_checks": Param(
            "fail",
            enum=["fail", "warn"],
            description="A source whose every request failed, or that usually yields articles and yielded none: "
            "fail the night, or only warn.",
        ),
    },
)
def wire_ingest() -> None:
    @task(execution_timeout=timedelta(minutes=10))
    def list_sources() -> list[str]:
        """Read the sources file and return the slugs of the sources with feeds, sitemaps or listing pages."""
        from pipeline import tasks

        return tasks.sources_to_fetch()

    # A mapped task shows doc_md, not its function's docstring; each instance is named by its source's slug.
    @task(
        pool=FETCH_POOL,
        map_index_template="{{ task.op_kwargs['slug'] }}",
        doc_md="Fetch one source's new pages for the night, extract and load their articles; failed pages become "
        "rejects.",
    )
    def fetch(slug: str) -> dict[str, int]:
        from pipeline import tasks

        return tasks.fetch_source(slug)

    # A dead source fails its own fetch task; the others' pages still go through, and the check names it.
    @task(trigger_rule="all_done")
    def extract() -> dict[str, int]:
        """Extract the stored pages still waiting for extraction (kept by `fetch --fetch-only`) and load them."""
        from pipeline import tasks

        return tasks.extract_stored()

    @task
    def dedupe() -> dict[str, int]:
        """Place the new articles in stories, linking wire copies to the story they repeat."""
        from pipeline import tasks

        return tasks.dedupe_articles()

    @task(execution_timeout=timedelta(minutes=15))
    def check(sources: list[str], params: dict[str, object] | None = None) -> dict[str, float]:
        """Run the night's data-quality checks; a failed check is named, with its value, in the log. A fetch task
        that failed for another reason than its source fails the night here (extract and dedupe ran anyway)."""
        from pipeline import tasks

        assert params is not None
        return tasks.check_night(params, sources)

    @task(outlets=[WAREHOUSE_ARTICLES])
    def publish() -> dict[str, int]:
        """Index the night's articles for search and refresh the summaries analysts read; the night's totals are
        this task's return value and the asset event's `extra`."""
        from pipeline import tasks

        return tasks.publish_articles()

    sources = list_sources()
    fetched = fetch.expand(slug=sources)
    fetched >> extract() >> dedupe() >> check(sources) >> publish()


wire_ingest()
