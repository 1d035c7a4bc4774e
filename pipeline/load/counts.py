"""What a stage did, as counts that add up across batches and land on the run's row."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Self


class Counts:
    """Base of the frozen count dataclasses: they add field by field and become the run's SQL parameters."""

    __slots__ = ()

    def __add__(self, other: Self) -> Self:
        return type(self)(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))  # type: ignore[arg-type]

    def run_params(self, run_id: int) -> dict[str, Any]:
        """The counts as parameters of an `UPDATE ingest_runs ... WHERE id = %(run_id)s` statement."""
        return {"run_id": run_id, **{f.name: getattr(self, f.name) for f in fields(self)}}  # type: ignore[arg-type]
