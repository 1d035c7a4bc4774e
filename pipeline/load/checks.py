"""Data-quality checks on a night's load: each is one SQL query in sql/checks, compared with a limit."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from pipeline.errors import ConfigError, WiredeskError
from pipeline.load.db import sql_file

_COMPARISONS: dict[str, Callable[[float, float], bool]] = {">=": operator.ge, "<=": operator.le}


class DataQualityError(WiredeskError):
    """A night's load failed one or more checks; the message names each check and its offending value."""


@dataclass(frozen=True, slots=True)
class CheckLimits:
    """What a night must satisfy; validated when built."""

    min_articles: int = 1
    """Fewest articles the night may have (published in its window or first loaded by its DAG run)."""
    max_reject_share: float = 0.5
    """Largest share of the night's listed inputs that may be rejected."""

    def __post_init__(self) -> None:
        if self.min_articles < 0:
            raise ConfigError(f"min_articles must be >= 0, not {self.min_articles}")
        if not 0.0 <= self.max_reject_share <= 1.0:
            raise ConfigError(f"max_reject_share must be in [0, 1], not {self.max_reject_share}")


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

    def summary(self) -> str:
        """One line for a task log: `FAILED articles_loaded = 0 (must be >= 1): Articles the night has...`."""
        verdict = "ok" if self.passed else "FAILED"
        return f"{verdict} {self.name} = {self.value:g} (must be {self.bound}): {self.meaning}"


@dataclass(frozen=True, slots=True)
class Night:
    """The DAG run whose load is checked, and its data interval (runs of the DAG for the same interval count too)."""

    dag_id: str
    dag_run_id: str
    window_start: datetime
    window_end: datetime


def run_checks(engine: sa.Engine, night: Night, limits: CheckLimits) -> list[CheckResult]:
    """Measure every check for `night`, in one read-only transaction."""
    checks: list[tuple[str, str, float]] = [
        ("articles_loaded", ">=", limits.min_articles),
        ("untitled_or_empty", "<=", 0),
        ("duplicate_canonical_urls", "<=", 0),
        ("unplaced_articles", "<=", 0),
        ("reject_share", "<=", limits.max_reject_share),
    ]
    params = {
        "dag_id": night.dag_id,
        "dag_run_id": night.dag_run_id,
        "window_start": night.window_start,
        "window_end": night.window_end,
    }
    results = []
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("checks/night_articles.sql"), params)
        for name, symbol, limit in checks:
            text = sql_file(f"checks/{name}.sql")
            value = float(connection.exec_driver_sql(text, params).scalar_one())
            passed = _COMPARISONS[symbol](value, limit)
            results.append(CheckResult(name, value, f"{symbol} {limit:g}", passed, _meaning(text)))
    return results


def require_passing(results: list[CheckResult]) -> None:
    """Raise DataQualityError naming every failed check and its value."""
    failed = [result.summary() for result in results if not result.passed]
    if failed:
        raise DataQualityError(f"{len(failed)} data-quality check(s) failed: " + "; ".join(failed))


def _meaning(sql: str) -> str:
    first = sql.splitlines()[0]
    return first.removeprefix("--").strip()
