"""
### wire_import: import an archive, or extract the stored pages again

Triggered by hand ("Trigger DAG" with the form), never scheduled:

- **import** a dump: `path` is a WARC / WARC.gz file (CC-NEWS style), a `.jsonl` dump, a scraped `.txt`/`.html`
  page, or a folder of them, readable by the workers; or an `http(s)://` URL of such a file, downloaded first.
  `source` names the outlet when the files do not say it.
- **import CC-NEWS** (`cc_news_since` and `cc_news_until` set, ISO 8601, UTC unless they say): **cc_news_files**
  reads Common Crawl's monthly listings (at `WIREDESK_CC_NEWS_URL`) for the WARC files holding the window, and
  **import_warc** imports each in a task of its own (mapped, named by the file), streamed and never saved, so
  Celery workers share a month. The pages of the configured sources are kept (`source` for one; `all_hosts` for
  every host, each under a source made for it). A file read to the end before is not read again.
- **reextract** (`reextract` on): extract every stored raw document again (all, or `source`'s), after the
  extractor improved or the sources file gained rules. `path` is not used.

Either way the articles are loaded, placed in stories and indexed; the counts are in the task log and in
`ingest_runs` (`dag_id = 'wire_import'`), rejects with reasons in `rejects`, each source's in `source_health`.
Then **check** runs the nightly DAG's data-quality checks on what the run loaded (`min_articles`, 0 by default: a
rerun loads nothing new; `max_reject_share`: an import that rejected everything fails) and, when they hold, updates
the `wiredesk_articles` asset. Rerunning an import is safe.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum

# Each task imports pipeline when it runs: the DAG processor parses this file often, and must do it fast.
# pipeline.alerts is the exception: it imports Airflow only.
from airflow.sdk import Asset, Param, dag, task

from pipeline.alerts import AlertNotifier

# The nightly DAG's asset (dags/wire_ingest.py): a DAG file is parsed alone, so it is named again here.
WAREHOUSE_ARTICLES = Asset(name="wiredesk_articles", uri="wiredesk://warehouse/articles")


@dag(
    dag_id="wire_import",
    description="By hand: import a WARC, JSONL or text dump (or extract the stored pages again), check it, update "
    "the asset.",
    schedule=None,
    start_date=pendulum.datetime(2022, 1, 1, tz="UTC"),
    catchup=False,
    # Imports place articles in stories one at a time anyway (a job lock); queued runs wait their turn here.
    max_active_runs=1,
    doc_md=__doc__,
    tags=["wiredesk", "import"],
    default_args={
        "owner": "wiredesk",
        "retries": 2,
        "retry_delay": timedelta(minutes=1),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=15),
        # An archive of a few million pages takes hours.
        "execution_timeout": timedelta(hours=8),
        # A task that failed for good (retries spent) alerts through the connection wiredesk_alerts, if defined.
        "on_failure_callback": AlertNotifier(),
    },
    params={
        "path": Param("", type="string", description="File, folder or http(s) URL of a WARC, JSONL or text dump."),
        "source": Param(None, type=["null", "string"], description="Source slug for inputs that do not name one."),
        "reextract": Param(False, type="boolean", description="Extract the stored raw documents again instead."),
        "cc_news_since": Param(
            None, type=["null", "string"], description="Import CC-NEWS from this time (ISO 8601, UTC by default)."
        ),
        "cc_news_until": Param(None, type=["null", "string"], description="... up to this time, exclusive."),
        "all_hosts": Param(False, type="boolean", description="CC-NEWS: keep every host's pages, not only sources'."),
        "min_articles": Param(0, type="integer", minimum=0, description="Fewest new articles the run may load."),
        "max_reject_share": Param(
            0.5, type="number", minimum=0, maximum=1, description="Largest share of the inputs read rejected."
        ),
        "source_checks": Param(
            "fail", enum=["fail", "warn"], description="A failed check on the sources: fail the run, or only warn."
        ),
    },
)
def wire_import() -> None:
    @task.branch(execution_timeout=timedelta(minutes=5))
    def choose(params: dict[str, object] | None = None) -> str:
        """Pick the work the form asked for: extract the stored pages again, import CC-NEWS, or the dump at
        `path`."""
        assert params is not None
        if params["reextract"]:
            return "reextract"
        return "cc_news_files" if params["cc_news_since"] or params["cc_news_until"] else "import_dump"

    @task
    def import_dump(params: dict[str, object] | None = None) -> dict[str, int]:
        """Import the dump at `path` (downloaded first when it is a URL) and load its articles."""
        from pipeline import tasks

        assert params is not None
        return tasks.import_archive(str(params["path"]), params["source"] or None)  # type: ignore[arg-type]

    @task
    def reextract(params: dict[str, object] | None = None) -> dict[str, int]:
        """Extract the stored raw documents again (all, or the source's) and load the articles."""
        from pipeline import tasks

        assert params is not None
        return tasks.reextract_stored(params["source"] or None)  # type: ignore[arg-type]

    @task(execution_timeout=timedelta(minutes=10))
    def cc_news_files(params: dict[str, object] | None = None) -> list[str]:
        """List the CC-NEWS WARC files holding the form's window."""
        from pipeline import tasks

        assert params is not None
        return tasks.cc_news_archives(str(params["cc_news_since"] or ""), str(params["cc_news_until"] or ""))

    # A mapped task shows doc_md, not its function's docstring; each instance is named by its WARC file.
    @task(
        map_index_template="{{ task.op_kwargs['url'].rsplit('/', 1)[-1] }}",
        doc_md="Import one CC-NEWS WARC file, streamed and never saved, and load its articles.",
    )
    def import_warc(url: str, params: dict[str, object] | None = None) -> dict[str, int]:
        from pipeline import tasks

        assert params is not None
        return tasks.import_cc_news_archive(url, params["source"] or None, bool(params["all_hosts"]))  # type: ignore[arg-type]

    # The branches not chosen are skipped; the check follows the one that ran.
    @task(
        trigger_rule="none_failed_min_one_success",
        outlets=[WAREHOUSE_ARTICLES],
        execution_timeout=timedelta(minutes=15),
    )
    def check(params: dict[str, object] | None = None) -> dict[str, float]:
        """Run the data-quality checks on what this run loaded; when they hold, update the `wiredesk_articles`
        asset."""
        from pipeline import tasks

        assert params is not None
        return tasks.check_night(params)

    chosen = choose()
    dump, again, files = import_dump(), reextract(), cc_news_files()
    chosen >> [dump, again, files]
    [dump, again, import_warc.expand(url=files)] >> check()


wire_import()
