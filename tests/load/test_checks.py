"""The night's data-quality checks on the real warehouse: each failure is named with its value."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline.errors import ConfigError
from pipeline.load.checks import CheckLimits, DataQualityError, Night, require_passing, run_checks
from pipeline.load.runs import Scheduled
from pipeline.run import ingest
from pipeline.sources import Source

START, END = datetime(2022, 1, 21, 2, tzinfo=UTC), datetime(2022, 1, 22, 2, tzinfo=UTC)
NIGHT = Night("wire_ingest", "scheduled__2022-01-22", START, END)


def load_sample(engine: sa.Engine, sample_path: Path, sources: dict[str, Source]) -> None:
    """The sample page, loaded by a task of NIGHT's DAG run."""
    scheduled = Scheduled(NIGHT.dag_id, NIGHT.dag_run_id, "fetch[0]", START, END)
    ingest(engine, [sample_path], sources, scheduled=scheduled)


def test_a_good_night_passes_every_check(engine: sa.Engine, sample_path: Path, sources: dict[str, Source]) -> None:
    load_sample(engine, sample_path, sources)
    results = run_checks(engine, NIGHT, CheckLimits())
    assert {r.name: (r.value, r.passed) for r in results} == {
        "articles_loaded": (1, True),
        "untitled_or_empty": (0, True),
        "duplicate_canonical_urls": (0, True),
        "unplaced_articles": (0, True),
        "reject_share": (0, True),
        "unfetched_sources": (0, True),
        "unreachable_sources": (0, True),
        "silent_sources": (0, True),
    }
    require_passing(results)


def test_a_night_with_nothing_and_an_untitled_article_fails_naming_both(
    engine: sa.Engine, sample_path: Path, sources: dict[str, Source]
) -> None:
    empty = run_checks(engine, NIGHT, CheckLimits())
    with pytest.raises(DataQualityError, match=r"FAILED articles_loaded = 0 \(must be >= 1\)"):
        require_passing(empty)

    load_sample(engine, sample_path, sources)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE articles SET title = NULL")
    with pytest.raises(DataQualityError, match=r"1 data-quality check\(s\) failed: FAILED untitled_or_empty = 1"):
        require_passing(run_checks(engine, NIGHT, CheckLimits()))


def test_another_nights_articles_are_not_checked(
    engine: sa.Engine, sample_path: Path, sources: dict[str, Source]
) -> None:
    load_sample(engine, sample_path, sources)
    later = Night(
        "wire_ingest", "scheduled__2022-02-01", datetime(2022, 2, 1, tzinfo=UTC), datetime(2022, 2, 2, tzinfo=UTC)
    )
    [loaded] = [r for r in run_checks(engine, later, CheckLimits()) if r.name == "articles_loaded"]
    assert (loaded.value, loaded.passed) == (0, False)


@pytest.mark.parametrize(("field", "value"), [("min_articles", -1), ("max_reject_share", 1.5)])
def test_limits_are_validated(field: str, value: float) -> None:
    with pytest.raises(ConfigError, match=field):
        CheckLimits(**{field: value})  # type: ignore[arg-type]


def test_a_fetch_that_failed_for_another_reason_than_its_source_fails_the_night(engine: sa.Engine) -> None:
    from pipeline.load.runs import finish_run, start_run, sync_sources
    from pipeline.resources import resource_dir
    from pipeline.sources import load_sources

    sync_sources(engine, load_sources(resource_dir("config") / "sources.toml").values())

    def fetch(slug: str, index: int, error: str | None) -> None:
        scheduled = Scheduled(NIGHT.dag_id, NIGHT.dag_run_id, f"fetch[{index}]", START, END)
        finish_run(engine, start_run(engine, "fetch", [slug], scheduled), error=error)

    fetch("peninsula", 0, "TransientError: the warehouse connection failed during a batch load")
    fetch("dawn", 1, "SourceUnreachable: dawn: every request failed")
    fetch("arab-news", 2, "TransientError: could not connect")
    fetch("arab-news", 2, None)
    night = Night(NIGHT.dag_id, NIGHT.dag_run_id, START, END, ("peninsula", "dawn", "arab-news", "gulf-times"))
    [unfetched] = [r for r in run_checks(engine, night, CheckLimits(0)) if r.name == "unfetched_sources"]
    assert (unfetched.value, unfetched.passed, unfetched.warn_only) == (2, False, False)
    assert unfetched.detail == (
        "gulf-times: no fetch run recorded; peninsula: fetch failed (TransientError: the warehouse connection failed "
        "during a batch load)"
    )
