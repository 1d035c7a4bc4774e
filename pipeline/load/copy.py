"""Encode Python values as rows of PostgreSQL's COPY text format."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypeAlias

CopyValue: TypeAlias = str | int | bytes | datetime | Sequence[str] | None

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def copy_field(value: CopyValue) -> str:
    """One field in COPY text format: NULL, a number, an escaped string, a bytea or a text[] literal."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, bool | int):
        return str(int(value))
    if isinstance(value, bytes):
        # COPY unescapes the backslash once, then bytea reads its hex form.
        return "\\\\x" + value.hex()
    if isinstance(value, datetime):
        return value.isoformat()
    return _array_literal(value).translate(_ESCAPES)


def _array_literal(items: Sequence[str]) -> str:
    quoted = ('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items)
    return "{" + ",".join(quoted) + "}"


def copy_rows(rows: Iterable[Sequence[CopyValue]]) -> str:
    """Rows in COPY text format, one line each."""
    return "".join("\t".join(copy_field(value) for value in row) + "\n" for row in rows)
