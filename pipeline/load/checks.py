"""Data-quality checks on a night's load: each is one SQL query in sql/checks, compared with a limit.

The checks on sources (one that usually yields articles yields none; every request to one failed) name each source
and why; they fail the night, or only warn when the limits say so.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from pipeline.errors import ConfigError, WiredeskError
from pipeline.load.db import sql_file

_COMPARISONS: dict[str, Callable[[float, float], bool]] = {">=": operator.ge, "<=": operator.le}
SOURCE_CHECK_MODES = ("fail", "warn")
SOURCE_CHECKS = ("unreachable_sources", "silent_sources")
"""The checks on sources: each query returns how many sources fail it and a line naming each and why."""


class DataQualityError(WiredeskError):
    """A night's load failed one or more checks; the message names each check and its offending value."""


@dataclass(frozen=True, slots=True)
class CheckLimits:
    """What a night must satisfy; validated when built."""

    min_articles: int = 1
    """Fewest articles the night may have (published in its window or first loaded by its DAG run)."""
    max_reject_share: float = 0.5
    """Largest share of the night's listed inputs that may be rejected."""
    source_checks: str = "fail"
    """What a failed check on sources does: `fail` the night, or only `warn`."""

    def __post_init__(self) -> None:
        if self.min_articles < 0:
            raise ConfigError(f"min_articles must be >= 0, not {self.min_articles}")
        if not 0.0 <= self.max_reject_share <= 1.0:
            raise ConfigError(f"max_reject_share must be in [0, 1], not {self.max_reject_share}")
        if self.source_checks not in SOURCE_CHECK_MODES:
            modes = " or ".join(SOURCE_CHECK_MODES)
            raise ConfigError(f"source_checks must be {modes}, not {self.source_checks!r}")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's measured value against its limit."""

    name: str
    value: float
    bound: str
    """The limit as people read it: `>= 1`, `<= 0.5`."""
    passed: bool
    meaning: str
    """What the check measures, from the first line of its SQL file."""
    detail: str = ""
    """For a check on sources that does not hold: each source and why (`gulf-times: every request failed ...`)."""
    warn_only: bool = False
    """Whether failing it warns instead of failing the night."""

    def summary(self) -> str:
        """One line for a task log: `FAILED articles_loaded = 0 (must be >= 1): Articles the night has...`, then
        the detail; WARNING instead of FAILED for a check that only warns."""
        verdict = "ok" if self.passed else "WARNING" if self.warn_only else "FAILED"
        line = f"{verdict} {self.name} = {self.value:g} (must be {self.bound}): {self.meaning}"
        return f"{line} {self.detail}" if self.detail else line

    @property
    def fails_night(self) -> bool:
        """Whether the check does not hold and fails the night."""
        return not self.passed and not self.warn_only

    @property
    def warns(self) -> bool:
        """Whether the check does not hold and only warns."""
        return not self.passed and self.warn_only


@dataclass(frozen=True, slots=True)
class Night:
    """The DAG run whose load is checked, and its data interval (runs of the DAG for the same interval count too)."""

    dag_id: str
    dag_run_id: str
    window_start: datetime | None
    """None for a DAG run without a data interval (triggered by hand): its own tasks' articles are checked."""
    window_end: datetime | None
    sources: tuple[str, ...] = ()
    """The sources the DAG run meant to fetch, each by a task of its own."""


def run_checks(engine: sa.Engine, night: Night, limits: CheckLimits) -> list[CheckResult]:
    """Measure every check for `night`, in one read-only transaction."""
    checks: list[tuple[str, str, float]] = [
        ("articles_loaded", ">=", limits.min_articles),
        ("untitled_or_empty", "<=", 0),
        ("duplicate_canonical_urls", "<=", 0),
        ("unplaced_articles", "<=", 0),
        ("reject_share", "<=", limits.max_reject_share),
        ("unfetched_sources", "<=", 0),
        ("unreachable_sources", "<=", 0),
        ("silent_sources", "<=", 0),
    ]
    params = {
        "dag_id": night.dag_id,
        "dag_run_id": night.dag_run_id,
        "window_start": night.window_start,
        "window_end": night.window_end,
        "sources": list(night.sources),
    }
    results = []
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("checks/night_articles.sql"), params)
        for name, symbol, limit in checks:
            text = sql_file(f"checks/{name}.sql")
            row = connection.exec_driver_sql(text, params).one()
            value, detail = float(row[0]), (row[1] if len(row) > 1 else None) or ""
            passed = _COMPARISONS[symbol](value, limit)
            warn_only = name in SOURCE_CHECKS and limits.source_checks == "warn"
            bound = f"{symbol} {limit:g}"
            results.append(CheckResult(name, value, bound, passed, _meaning(text), detail, warn_only))
    return results


def require_passing(results: list[CheckResult]) -> None:
    """Raise DataQualityError naming every check that fails the night, with its value (and for a check on sources,
    each source and why); checks that only warn do not raise."""
    failed = [result.summary() for result in results if result.fails_night]
    if failed:
        raise DataQualityError(f"{len(failed)} data-quality check(s) failed: " + "; ".join(failed))


def _meaning(sql: str) -> str:
    first = sql.splitlines()[0]
    return first.removeprefix("--").strip()
