"""COPY encoding round-trips arbitrary text, arrays and bytes through the real Postgres."""

from __future__ import annotations

import io
from contextlib import closing
from datetime import UTC, datetime

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.load.copy import copy_rows

# Postgres text cannot hold NUL; everything else must survive.
pg_text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(st.none(), pg_text),
    items=st.lists(pg_text, max_size=5),
    payload=st.binary(max_size=64),
    number=st.integers(min_value=-(2**31), max_value=2**31 - 1),
)
def test_copy_rows_round_trip(
    migrated_engine: sa.Engine, text: str | None, items: list[str], payload: bytes, number: int
) -> None:
    moment = datetime(2022, 1, 21, 21, 28, 5, 123456, tzinfo=UTC)
    connection = migrated_engine.raw_connection()
    try:
        with closing(connection.cursor()) as cursor:
            cursor.execute("CREATE TEMP TABLE roundtrip (t text, a text[], b bytea, n integer, d timestamptz)")
            buffer = io.StringIO(copy_rows([(text, items, payload, number, moment)]))
            cursor.copy_expert("COPY roundtrip FROM STDIN", buffer)
            cursor.execute("SELECT t, a, b, n, d FROM roundtrip")
            row = cursor.fetchone()
    finally:
        connection.rollback()
        connection.close()
    assert row is not None
    assert (row[0], row[1], bytes(row[2]), row[3], row[4]) == (text, items, payload, number, moment)
