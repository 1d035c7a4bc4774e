"""Read-only roles and the data dictionary, on the real Postgres."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
import sqlalchemy as sa

from pipeline.load.catalog import grant_reader, schema_markdown
from pipeline.run import ingest
from pipeline.sources import Source

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schema.md"
FORBIDDEN = [
    "INSERT INTO articles (key, source, body, word_count, content_hash, raw_document_id, extractor, first_run_id, "
    "last_run_id) SELECT 'x', source, body, 1, content_hash, raw_document_id, 'x', 1, 1 FROM articles LIMIT 1",
    "UPDATE articles SET title = 'changed'",
    "DELETE FROM rejects",
    "TRUNCATE stories CASCADE",
    "CREATE TABLE wiredesk.mine (x int)",
    "CREATE TABLE public.mine (x int)",
    "CREATE SCHEMA mine",
    "SELECT * FROM outside.secret",
    "SELECT * FROM wiredesk_migrations._yoyo_migration",
    "DROP VIEW story_copies",
]


@pytest.fixture
def reader(engine: sa.Engine, sources: dict[str, Source], sample_path: Path) -> Iterator[str]:
    """A reader role on a warehouse holding the sample, with a table outside the schema it must not read."""
    ingest(engine, [sample_path], sources)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS outside")
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS outside.secret (x int)")
        connection.exec_driver_sql("GRANT USAGE ON SCHEMA outside TO PUBLIC")
    # Roles belong to the whole server: a name of its own keeps parallel or earlier runs out of the way.
    role = f"wiredesk_reader_{uuid.uuid4().hex[:8]}"
    assert grant_reader(engine, role)
    assert not grant_reader(engine, role)
    yield role
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP OWNED BY "{role}"')
        connection.exec_driver_sql(f'DROP ROLE "{role}"')


def _as(engine: sa.Engine, role: str, statement: str) -> list[tuple[object, ...]]:
    connection = engine.raw_connection()
    try:
        with connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f'SET ROLE "{role}"; SET search_path = wiredesk')
            cursor.execute(statement)
            return list(cursor.fetchall()) if cursor.description else []
    finally:
        connection.rollback()
        connection.close()


def test_the_reader_selects_tables_and_views(engine: sa.Engine, reader: str) -> None:
    assert _as(engine, reader, "SELECT title FROM articles") == [
        ("US and Russia promise to work on easing tensions over Ukraine",)
    ]
    assert _as(engine, reader, "SELECT count(*) FROM story_copies") == [(1,)]
    assert _as(engine, reader, "SELECT agency, stories FROM agency_share ORDER BY agency") == [
        ("AFP", 1),
        ("Reuters", 1),
    ]
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE OR REPLACE VIEW later AS SELECT 1 AS one")
        connection.exec_driver_sql("COMMENT ON VIEW later IS 'x'; COMMENT ON COLUMN later.one IS 'x'")
    try:
        assert _as(engine, reader, "SELECT one FROM later") == [(1,)]
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP VIEW later")


def test_the_reader_reads_source_health(engine: sa.Engine, reader: str) -> None:
    assert _as(engine, reader, "SELECT source, failing_runs FROM source_health WHERE source = 'peninsula'") == [
        ("peninsula", 0)
    ]
    assert _as(engine, reader, "SELECT count(*) FROM source_runs") == [(1,)]
    assert _as(engine, reader, "SELECT count(*) FROM source_run_health") == [(1,)]


@pytest.mark.parametrize("statement", FORBIDDEN)
def test_the_reader_cannot_change_create_or_look_outside(engine: sa.Engine, reader: str, statement: str) -> None:
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        _as(engine, reader, statement)


def test_docs_schema_md_is_current(migrated_engine: sa.Engine) -> None:
    # Regenerate with `wiredesk db docs` after changing a migration or a view.
    assert DOCS.read_text(encoding="utf-8") == schema_markdown(migrated_engine), "docs/schema.md is stale"


def test_every_view_and_column_is_in_the_docs(migrated_engine: sa.Engine) -> None:
    text = schema_markdown(migrated_engine)
    for name in ("articles", "stories", "story_copies", "daily_stories", "agency_share", "source_health"):
        assert f"## {name} (" in text
    assert "| `similarity_to_canonical` |" in text
    assert not [line for line in text.splitlines() if line.startswith(("## _yoyo", "## yoyo"))]
