"""Migrations on the real Postgres: yoyo's bookkeeping in a schema of its own, and old warehouses moved into it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from yoyo import get_backend, read_migrations

from pipeline.load import db
from pipeline.load.catalog import grant_reader
from pipeline.resources import resource_dir
from tests.conftest import ADMIN_URL, _admin_dsn

BOOKKEEPING = {"_yoyo_migration", "_yoyo_log", "_yoyo_version", "yoyo_lock"}
# Every relation named like yoyo's (tables, their indexes), wherever it is, and whatever the migrations schema holds.
YOYO_RELATIONS = """
    SELECT n.nspname, c.relname, c.relkind, obj_description(c.oid, 'pg_class')
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE (c.relname ~ '^_?yoyo' AND n.nspname NOT IN ('pg_catalog', 'information_schema'))
       OR n.nspname = 'wiredesk_migrations'
"""


def _rows(engine: sa.Engine, query: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query).all())


def _bookkeeping_tables(engine: sa.Engine) -> dict[tuple[str, str], str | None]:
    """(schema, table) of every yoyo table, with its comment; an error on any other relation found."""
    tables = {}
    for schema, name, kind, comment in _rows(engine, YOYO_RELATIONS):
        if kind == "i":
            continue
        assert (kind, name) in {("r", table) for table in BOOKKEEPING}, f"{schema}.{name} is no bookkeeping table"
        tables[schema, name] = comment
    return tables


def _ledger(engine: sa.Engine, schema: str) -> tuple[list[Any], int]:
    """The migrations yoyo records as applied, in order, and how many entries its log holds."""
    applied = _rows(engine, f"SELECT migration_id FROM {schema}._yoyo_migration ORDER BY applied_at_utc, migration_id")
    return applied, _rows(engine, f"SELECT count(*) FROM {schema}._yoyo_log")[0][0]


def test_upgrade_keeps_the_bookkeeping_apart_and_commented(migrated_engine: sa.Engine) -> None:
    tables = _bookkeeping_tables(migrated_engine)
    assert set(tables) == {(db.MIGRATIONS_SCHEMA, table) for table in BOOKKEEPING}
    assert all(tables.values()), tables
    schemas = dict(_rows(migrated_engine, "SELECT nspname, obj_description(oid, 'pg_namespace') FROM pg_namespace"))
    assert "bookkeeping" in schemas[db.MIGRATIONS_SCHEMA]


@pytest.fixture
def old_warehouse() -> Iterator[sa.Engine]:
    """A warehouse upgraded before wiredesk_migrations existed: yoyo's tables in wiredesk, beside the warehouse."""
    name = f"wiredesk_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(_admin_dsn())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = make_url(ADMIN_URL).set(database=name)
    engine = db.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE SCHEMA wiredesk")
        # How `wiredesk db upgrade` called yoyo then: its search_path, and so its tables, in wiredesk.
        old_uri = url.set(drivername="postgresql", query={"schema": "wiredesk"}).render_as_string(hide_password=False)
        with get_backend(old_uri, migration_table="_yoyo_migration") as backend, backend.lock():
            backend.apply_migrations(backend.to_apply(read_migrations(str(resource_dir("sql") / "migrations"))))
        assert {schema for schema, _ in _bookkeeping_tables(engine)} == {"wiredesk"}
        yield engine
    finally:
        engine.dispose()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.parametrize("first", ["upgrade", "require_current_schema"])
def test_an_old_warehouse_moves_its_bookkeeping_and_applies_nothing_again(old_warehouse: sa.Engine, first: str) -> None:
    ledger = _ledger(old_warehouse, "wiredesk")
    assert len(ledger[0]) == len(read_migrations(str(resource_dir("sql") / "migrations")))

    getattr(db, first)(old_warehouse)

    assert set(_bookkeeping_tables(old_warehouse)) == {(db.MIGRATIONS_SCHEMA, table) for table in BOOKKEEPING}
    assert _ledger(old_warehouse, db.MIGRATIONS_SCHEMA) == ledger
    assert db.upgrade(old_warehouse) == []
    assert _ledger(old_warehouse, db.MIGRATIONS_SCHEMA) == ledger


def test_a_reader_granted_on_an_old_warehouse_loses_the_bookkeeping(old_warehouse: sa.Engine) -> None:
    role = f"wiredesk_reader_{uuid.uuid4().hex[:8]}"
    grant_reader(old_warehouse, role)
    connection = old_warehouse.raw_connection()
    try:
        with connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f'SET ROLE "{role}"; SELECT count(*) FROM wiredesk._yoyo_migration')
        connection.rollback()
        db.upgrade(old_warehouse)
        with connection.cursor() as cursor, pytest.raises(psycopg2.errors.InsufficientPrivilege):  # type: ignore[attr-defined]
            cursor.execute(f'SET ROLE "{role}"; SELECT count(*) FROM {db.MIGRATIONS_SCHEMA}._yoyo_migration')
    finally:
        connection.rollback()
        with connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')
        connection.commit()
        connection.close()
