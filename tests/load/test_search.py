"""Full-text search documents: built after the load, per language, and rebuilt when an article changes."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from pipeline.load.search import index_search
from pipeline.run import ingest
from pipeline.sources import Source

SEARCH = """
SELECT a.url
FROM article_search AS s JOIN articles AS a ON a.id = s.article_id
WHERE s.document @@ websearch_to_tsquery(CAST(:config AS regconfig), :words)
ORDER BY a.url
"""


def _dump(path: Path, items: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def _search(engine: sa.Engine, words: str, config: str = "english") -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(sa.text(SEARCH), {"words": words, "config": config}).scalars())


def test_ingest_indexes_titles_and_bodies_with_stemming(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    items = [
        {
            "url": "https://gulf-times.com/1",
            "source": "gulf-times",
            "text": "Talks resume\n\nAFP\n\nDiplomats negotiated.",
        },
        {"url": "https://gulf-times.com/2", "source": "gulf-times", "text": "Markets\n\nReuters\n\nStocks fell."},
    ]
    ingest(engine, [_dump(tmp_path / "a.jsonl", items)], sources)

    assert _search(engine, "negotiate") == ["https://gulf-times.com/1"]
    assert _search(engine, "talk") == ["https://gulf-times.com/1"]
    assert _search(engine, "stock -talks") == ["https://gulf-times.com/2"]
    assert index_search(engine) == 0


def test_a_changed_article_is_indexed_again(engine: sa.Engine, sources: dict[str, Source], tmp_path: Path) -> None:
    url = "https://gulf-times.com/3"
    ingest(
        engine,
        [_dump(tmp_path / "a.jsonl", [{"url": url, "source": "gulf-times", "text": "T\n\nFloods hit."}])],
        sources,
    )
    ingest(
        engine,
        [_dump(tmp_path / "b.jsonl", [{"url": url, "source": "gulf-times", "text": "T\n\nDrought hit."}])],
        sources,
    )

    assert _search(engine, "drought") == [url]
    assert _search(engine, "flood") == []


def test_the_configuration_follows_the_article_language(engine: sa.Engine, tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    french = {"lemonde": Source("lemonde", "Le Monde", "lemonde.fr", ZoneInfo("Europe/Paris"), "fr")}
    text = "Les négociations reprennent\n\nAFP\n\nLes diplomates négociaient à Genève."
    ingest(
        engine,
        [_dump(tmp_path / "fr.jsonl", [{"url": "https://lemonde.fr/1", "source": "lemonde", "text": text}])],
        french,
    )

    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT config::text FROM article_search").scalar_one() == "french"
    assert _search(engine, "négociation", "french") == ["https://lemonde.fr/1"]
