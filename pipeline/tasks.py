"""The work of each Airflow task: the DAGs in dags/ call these functions and nothing else.

Each function resolves the warehouse from the Airflow connection `wiredesk_warehouse` when it runs (never when a
DAG file is parsed), reads which DAG run and data interval it serves from the task's context, records its counts
in `ingest_runs`, logs them, and returns ids and counts only (what XCom carries). Transient failures (network,
warehouse connection) are raised for Airflow to retry; anything else fails the task without retries.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg2
import sqlalchemy as sa
from sqlalchemy.engine import URL

from pipeline import alerts, run
from pipeline.errors import ConfigError, TransientError, WiredeskError
from pipeline.settings import Settings
from pipeline.sources import Source, load_sources

WAREHOUSE_CONNECTION = "wiredesk_warehouse"
"""Airflow connection id of the warehouse (`AIRFLOW_CONN_WIREDESK_WAREHOUSE` in the environment works)."""

NAMING_A_SOURCE = "name it in the form's `source` field (a slug from the sources file)"
"""How a user of the wire_import DAG names the source of inputs that do not say it."""

TRANSIENT_ERRORS = (TransientError, sa.exc.OperationalError, sa.exc.InterfaceError, psycopg2.OperationalError,
                    psycopg2.InterfaceError, httpx.TransportError)  # fmt: skip
"""What a retry may fix: the network or the warehouse connection failed."""

log = logging.getLogger(__name__)


def sources_to_fetch() -> list[str]:
    """The slugs of the configured sources that list anything to fetch (feeds, sitemaps or listing pages), in file
    order."""
    with retried_only_when_transient():
        sources = _sources()
        return [slug for slug, source in sources.items() if source.feeds or source.sitemaps or source.listing_pages]


def fetch_source(slug: str) -> dict[str, int]:
    """Discover and download one source's new pages for the DAG run's data interval, then extract and load their
    articles (placed in stories later, by `dedupe_articles`). When every request to the source failed, the task
    fails (and is retried) naming the reasons."""
    with _lines_naming(slug), retried_only_when_transient(), _warehouse() as engine:
        scheduled = scheduled_by_airflow()
        window = run.Window(scheduled.window_start, scheduled.window_end)
        result = run.fetch(
            engine, _sources(), [slug], window, then_dedupe=False, scheduled=scheduled, require_reachable=True
        )
        return _logged(result.run_id, asdict(result.counts))


def extract_stored() -> dict[str, int]:
    """Extract every stored page that waits for extraction (stored by `wiredesk fetch --fetch-only`) and load the
    articles (not yet placed in stories)."""
    with retried_only_when_transient(), _warehouse() as engine:
        result = run.reextract(
            engine, _sources(), unextracted=True, then_dedupe=False, scheduled=scheduled_by_airflow()
        )
        return _logged(result.run_id, asdict(result.counts))


def dedupe_articles() -> dict[str, int]:
    """Place every article not yet in a story, linking wire copies to the stories they repeat."""
    with retried_only_when_transient(), _warehouse() as engine:
        run_id, counts = run.dedupe(engine, then_refresh=False, scheduled=scheduled_by_airflow())
        return _logged(run_id, asdict(counts))


def check_night(params: Mapping[str, Any], fetched: Sequence[str] = ()) -> dict[str, float]:
    """Run the data-quality checks on the DAG run's night (or, for a run without a data interval, on what its own
    tasks loaded), with the limits in the run's `params` (`min_articles`, `max_reject_share`, `source_checks`), and
    `fetched` the sources its fetch tasks were for; fail, naming each failed check (and each source, and why), when
    one does not hold."""
    with retried_only_when_transient():
        limits = run.CheckLimits(
            int(params["min_articles"]), float(params["max_reject_share"]), str(params.get("source_checks", "fail"))
        )
        with _warehouse() as engine:
            scheduled = scheduled_by_airflow()
            night = run.Night(
                scheduled.dag_id, scheduled.dag_run_id, scheduled.window_start, scheduled.window_end, tuple(fetched)
            )
            results = run.run_checks(engine, night, limits)
        for result in results:
            level = logging.ERROR if result.fails_night else logging.WARNING if result.warns else logging.INFO
            log.log(level, "%s", result.summary())
        if warnings := [result.summary() for result in results if result.warns]:
            names = ", ".join(result.name for result in results if result.warns)
            alerts.send_alert(
                f"wiredesk: {scheduled.dag_id} check warns: {names}",
                f"{scheduled.dag_id}, run {scheduled.dag_run_id}: the checks pass, with warnings.\n\n"
                + "\n\n".join(warnings),
            )
        run.require_passing(results)
        from airflow.sdk import get_current_context

        if get_current_context()["task"].outlets:
            # wire_import's check updates the asset: the import has published as it loaded.
            with _warehouse() as engine:
                announce_totals(engine)
        return {result.name: result.value for result in results}


def publish_articles() -> dict[str, int]:
    """Index the new articles for search and refresh the summaries, making the night visible to analysts; return the
    night's totals, which the asset event carries too."""
    with retried_only_when_transient(), _warehouse() as engine:
        run.publish(engine)
        totals = announce_totals(engine)
        scheduled = scheduled_by_airflow()
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{scheduled.dag_id}__{scheduled.dag_run_id}") + ".html"
        written = run.write_report(engine, Settings.from_env().data_dir / "reports" / name)
        log.info("the nights' report, as of this run: %s", written)
        return totals


def announce_totals(engine: sa.Engine) -> dict[str, int]:
    """The DAG run's totals, logged and put in the `extra` of the asset events the running task emits."""
    from airflow.sdk import get_current_context

    context = get_current_context()
    scheduled = scheduled_by_airflow()
    totals = run.dag_run_totals(engine, scheduled.dag_id, scheduled.dag_run_id)
    log.info("%s %s: %s", scheduled.dag_id, scheduled.dag_run_id, totals.summary())
    extra = {name: int(value) for name, value in asdict(totals).items()}
    for outlet in context["task"].outlets:
        context["outlet_events"][outlet].extra = extra | {"dag_run_id": scheduled.dag_run_id}
    return extra


def import_archive(location: str, source: str | None) -> dict[str, int]:
    """Import a WARC/JSONL/text dump at `location` (a file or folder the workers can read, or an http(s) URL,
    downloaded into the data folder first) into the warehouse, then dedupe and publish."""
    with retried_only_when_transient():
        if not location.strip():
            raise ConfigError("wire_import: give `path`, a dump's file, folder or URL (or turn on `reextract`)")
        path = run.dump_path(location, Settings.from_env())
        with _warehouse() as engine:
            scheduled = scheduled_by_airflow()
            options = run.InputOptions(source or None, naming_a_source=NAMING_A_SOURCE)
            result = run.ingest(
                engine, [path], _sources(), options, command="import", scheduled=scheduled, skip_stored=True
            )
            return _logged(result.run_id, asdict(result.counts) | asdict(result.stories))


def cc_news_archives(since: str, until: str) -> list[str]:
    """The URLs of the CC-NEWS WARC files holding [since, until) (ISO 8601, UTC when no zone is given), from the
    listings at WIREDESK_CC_NEWS_URL: one `import_cc_news_archive` task each."""
    with retried_only_when_transient():
        start, end = _form_time("cc_news_since", since), _form_time("cc_news_until", until)
        if end <= start:
            raise ConfigError(f"wire_import: cc_news_until ({until}) must be after cc_news_since ({since})")
        urls = run.cc_news_archive_urls(Settings.from_env().cc_news_url, start, end)
        log.info("CC-NEWS [%s, %s): %d WARC file(s), one task each", start, end, len(urls))
        return urls


def import_cc_news_archive(url: str, source: str | None, all_hosts: bool) -> dict[str, int]:
    """Import one CC-NEWS WARC file streamed from `url` (the pages of `source`, of every configured source, or with
    `all_hosts` of every host), then dedupe and publish; a file read to the end before is not read again."""
    with retried_only_when_transient(), _warehouse() as engine:
        sources = _sources()
        if source and source not in sources:
            raise ConfigError(f"wire_import: source {source!r} is not in the sources file")
        result = run.import_cc_news(
            engine, sources, Settings.from_env().cc_news_url, selected=[source] if source else (),
            all_hosts=all_hosts, scheduled=scheduled_by_airflow(), archives=[url],
        )  # fmt: skip
        return _logged(result.run_id, asdict(result.counts) | asdict(result.stories))


def _form_time(name: str, value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise ConfigError(f"wire_import: {name} {value!r} is not an ISO 8601 date or time") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def reextract_stored(source: str | None) -> dict[str, int]:
    """Extract every stored raw document again (all, or one source's), then dedupe and publish."""
    with retried_only_when_transient(), _warehouse() as engine:
        result = run.reextract(engine, _sources(), source or None, scheduled=scheduled_by_airflow())
        return _logged(result.run_id, asdict(result.counts) | asdict(result.stories))


def scheduled_by_airflow() -> run.Scheduled:
    """The DAG run, task and data interval of the running task, read from its Airflow context."""
    from airflow.sdk import get_current_context

    context = get_current_context()
    instance = context["ti"]
    map_index = instance.map_index if instance.map_index is not None else -1
    task_id = instance.task_id if map_index < 0 else f"{instance.task_id}[{instance.map_index}]"
    return run.Scheduled(
        dag_id=instance.dag_id,
        dag_run_id=instance.run_id,
        task_id=task_id,
        window_start=_utc(context.get("data_interval_start")),
        window_end=_utc(context.get("data_interval_end")),
    )


def warehouse_url(conn_id: str = WAREHOUSE_CONNECTION) -> URL:
    """The SQLAlchemy URL of the warehouse, from the Airflow connection `conn_id` as the postgres provider's
    PostgresHook reads it (with the psycopg2 driver wiredesk loads with); the libpq parameters in the connection's
    extra (a socket `host`, `sslmode`, ...) go into the URL's query, as `sqlalchemy_query` does."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook

    hook = PostgresHook(postgres_conn_id=conn_id, sqlalchemy_scheme="postgresql+psycopg2")
    connection = hook.connection
    if connection.conn_type not in ("postgres", "postgresql"):
        raise ConfigError(f"Airflow connection {conn_id}: the warehouse must be postgres, not {connection.conn_type}")
    libpq = {key: str(value) for key, value in connection.extra_dejson.items() if key not in hook.ignored_extra_options}
    url: URL = hook.sqlalchemy_url
    return url.update_query_dict(libpq | dict(url.query))


@contextmanager
def retried_only_when_transient() -> Iterator[None]:
    """Let transient failures through for Airflow to retry; turn every other failure into one it does not retry."""
    from airflow.sdk.exceptions import AirflowFailException

    try:
        yield
    except TRANSIENT_ERRORS:
        raise
    except WiredeskError as error:
        # A failure wiredesk explains itself (a failed check, a bad setting): its message says it all, and a
        # traceback through Airflow and wiredesk would bury it.
        raise AirflowFailException(f"{type(error).__name__}: {error}") from None
    except Exception as error:
        raise AirflowFailException(f"{type(error).__name__}: {error}") from error


@contextmanager
def _lines_naming(source: str) -> Iterator[None]:
    """While the block runs, every log line names `source`: a line that does not is prefixed with it (threads
    included: the fetcher's workers log too)."""
    make_record = logging.getLogRecordFactory()

    def record_naming_source(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        message = record.getMessage()
        if source not in message:
            record.msg, record.args = f"{source}: {message}", None
        return record

    logging.setLogRecordFactory(record_naming_source)
    try:
        yield
    finally:
        logging.setLogRecordFactory(make_record)


@contextmanager
def _warehouse() -> Iterator[sa.Engine]:
    engine = run.open_warehouse(warehouse_url())
    try:
        yield engine
    finally:
        engine.dispose()


def _sources() -> Mapping[str, Source]:
    return load_sources(Settings.from_env().sources_path)


def _logged(run_id: int, counts: dict[str, Any]) -> dict[str, int]:
    line = " · ".join(f"{name} {value}" for name, value in counts.items())
    log.info("ingest run %d: %s", run_id, line)
    return {"run_id": run_id} | {name: int(value) for name, value in counts.items()}


def _utc(moment: datetime | None) -> datetime | None:
    # Airflow hands out pendulum datetimes; the warehouse driver wants plain ones.
    return None if moment is None else datetime.fromtimestamp(moment.timestamp(), tz=UTC)
