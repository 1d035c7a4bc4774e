"""Shared fixtures: a fresh warehouse database on the real Postgres, the sample page, the shipped sources."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from pipeline.load import db
from pipeline.resources import resource_dir
from pipeline.sources import Source, load_sources

# Tests need a real PostgreSQL; `.ci/run` makes sure this one is up. Point elsewhere with WIREDESK_TEST_ADMIN_URL.
ADMIN_URL = os.environ.get("WIREDESK_TEST_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
SAMPLE = resource_dir("samples") / "peninsula-2022-01-22-us-russia-ukraine.txt"


def _admin_dsn() -> str:
    return make_url(ADMIN_URL).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """URL of a database created for this test session and dropped after it."""
    name = f"wiredesk_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg2.connect(_admin_dsn(), connect_timeout=5)
    except psycopg2.OperationalError as error:
        pytest.fail(f"the tests need PostgreSQL at {ADMIN_URL}: {error}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on the session database with every migration applied."""
    engine = db.create_engine(make_url(database_url))
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: sa.Engine) -> sa.Engine:
    """The migrated warehouse, emptied before the test."""
    with migrated_engine.begin() as connection:
        connection.exec_driver_sql(
            "TRUNCATE stories, story_merges, articles, rejects, raw_documents, ingest_runs, sources "
            "RESTART IDENTITY CASCADE"
        )
    return migrated_engine


@pytest.fixture
def chromium() -> str:
    """Debian's chromium, or a skip that says how to get it (`.ci/run` installs it, so CI runs the browser checks)."""
    path = shutil.which("chromium")
    if path is None:
        print("\nskipping a browser check: chromium is not installed (apt-get install -y chromium)")
        pytest.skip("chromium is not installed: apt-get install -y chromium")
    return path


@pytest.fixture(scope="session")
def sources() -> dict[str, Source]:
    """The shipped sources file."""
    return load_sources(resource_dir("config") / "sources.toml")


@pytest.fixture(scope="session")
def peninsula(sources: dict[str, Source]) -> Source:
    """The Peninsula, the outlet of the sample page."""
    return sources["peninsula"]


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The canonical scraped page."""
    return SAMPLE
