"""Learned boilerplate in the warehouse: store a source's learned lines, read them back for extraction."""

from __future__ import annotations

import gzip
from collections.abc import Iterator, Sequence

import sqlalchemy as sa

from pipeline.extract.boilerplate import Boilerplate, LearnedLine
from pipeline.load.db import sql_file
from pipeline.record import RawDocument


def recent_documents(engine: sa.Engine, source: str, limit: int) -> Iterator[RawDocument]:
    """The source's `limit` most recently fetched raw documents, newest first."""
    with engine.connect() as connection:
        rows = connection.execution_options(yield_per=200).exec_driver_sql(
            sql_file("boilerplate/recent_documents.sql"), {"source": source, "limit": limit}
        )
        for slug, origin, payload, media_type, fetched_at, url, encoding in rows:
            yield RawDocument(slug, origin, gzip.decompress(bytes(payload)), media_type, fetched_at, url, encoding)


def store_learned(engine: sa.Engine, source: str, lines: Sequence[LearnedLine]) -> None:
    """Replace the source's learned lines with `lines`, in one transaction."""
    rows = [
        {
            "source": source,
            "key": line.key,
            "text": line.text,
            "pages": line.pages,
            "sampled": line.sampled,
            "learned_at": line.learned_at,
        }
        for line in lines
    ]
    with engine.begin() as connection:
        connection.exec_driver_sql(sql_file("boilerplate/delete_source.sql"), {"source": source})
        if rows:
            connection.exec_driver_sql(sql_file("boilerplate/insert_line.sql"), rows)


def learned_boilerplate(engine: sa.Engine, source: str | None = None) -> dict[str, Boilerplate]:
    """Every source's learned boilerplate (or one source's), by source slug."""
    found: dict[str, Boilerplate] = {}
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql_file("boilerplate/learned_lines.sql"), {"source": source})
        for slug, key, text, pages, sampled, learned_at in rows:
            found.setdefault(slug, Boilerplate(slug)).lines[key] = LearnedLine(key, text, pages, sampled, learned_at)
    return found
