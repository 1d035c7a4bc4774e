"""Every example query in sql/queries runs on a warehouse holding the sample page and answers it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline.resources import resource_dir
from pipeline.run import ingest
from pipeline.sources import Source

QUERIES = sorted((resource_dir("sql") / "queries").glob("*.sql"))


@pytest.mark.parametrize("query", QUERIES, ids=[path.stem for path in QUERIES])
def test_example_query_answers_on_the_sample(
    engine: sa.Engine, sources: dict[str, Source], sample_path: Path, query: Path
) -> None:
    ingest(engine, [sample_path], sources)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(query.read_text(encoding="utf-8")).mappings().all()
    assert rows, f"{query.name} returned nothing"
    assert rows[0]["title"] == "US and Russia promise to work on easing tensions over Ukraine"
