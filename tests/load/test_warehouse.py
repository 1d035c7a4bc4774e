"""Loading into the real Postgres: the seed's fields, idempotence, rejects, and interrupted batches."""

from __future__ import annotations

import gzip
import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipeline.errors import NothingLanded, TransientError
from pipeline.load import db
from pipeline.run import ingest
from pipeline.sources import Source

TICKER = "Finance Minister meets Maltese counterpart"


def _rows(engine: sa.Engine, query: str, **params: Any) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(sa.text(query), params).mappings())


def _write_dump(path: Path, items: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def test_upgrade_is_idempotent_and_documents_every_table_view_and_column(migrated_engine: sa.Engine) -> None:
    assert db.upgrade(migrated_engine) == []
    undocumented = _rows(
        migrated_engine,
        """
        SELECT c.relname, a.attname
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = 'wiredesk' AND c.relkind IN ('r', 'v', 'm')
          AND (col_description(c.oid, a.attnum) IS NULL OR obj_description(c.oid, 'pg_class') IS NULL)
        """,
    )
    assert undocumented == []


def test_seed_lands_with_every_field(engine: sa.Engine, sources: dict[str, Source], sample_path: Path) -> None:
    result = ingest(engine, [sample_path], sources)

    assert (result.counts.read, result.counts.loaded, result.counts.rejected) == (1, 1, 0)
    [article] = _rows(engine, "SELECT * FROM articles")
    assert article["source"] == "peninsula"
    assert article["title"] == "US and Russia promise to work on easing tensions over Ukraine"
    assert article["agencies"] == ["AFP", "Reuters"]
    assert article["authors"] == []
    assert article["dateline"] == "Geneva"
    assert article["published_at"] == datetime(2022, 1, 21, 21, 28, tzinfo=UTC)
    # the page's own clock, Doha's: published on the outlet's Saturday, 22 January, at 00:28
    assert article["published_offset_minutes"] == 180
    assert article["published_local"] == datetime(2022, 1, 22, 0, 28)
    assert article["language"] == "en"
    assert article["body"].startswith("Washington and Moscow’s top diplomats")
    assert article["body"].endswith("since the start of this month, including tanks, artillery and ammunition.")
    assert TICKER not in article["body"]
    assert "Add Comment" not in article["body"] and "no comments" not in article["body"]
    assert article["url"] is None and article["key"].startswith("sha256:")
    assert article["word_count"] == len(article["body"].split())
    [raw] = _rows(engine, "SELECT sha256, size_bytes, media_type FROM raw_documents")
    assert raw["size_bytes"] == sample_path.stat().st_size and raw["media_type"] == "text/plain"
    [run] = _rows(engine, "SELECT * FROM ingest_runs")
    assert run["status"] == "succeeded" and run["loaded_count"] == 1 and run["finished_at"] is not None


def test_raw_payload_is_kept_compressed_and_restorable(
    engine: sa.Engine, sources: dict[str, Source], sample_path: Path
) -> None:
    ingest(engine, [sample_path], sources)
    [row] = _rows(engine, "SELECT payload FROM raw_documents")
    assert gzip.decompress(bytes(row["payload"])) == sample_path.read_bytes()


def test_loading_the_same_input_twice_changes_nothing(
    engine: sa.Engine, sources: dict[str, Source], sample_path: Path, tmp_path: Path
) -> None:
    dump = _write_dump(
        tmp_path / "wire.jsonl",
        [
            {
                "url": "https://thepeninsulaqatar.com/a/1?utm_source=x",
                "source": "peninsula",
                "text": "T\n\nAFP\n\nOne.",
            },
            {
                "url": "https://gulf-times.com/story/2",
                "source": "gulf-times",
                "text": "Title\n\nReuters\n\nTwo.",
            },
        ],
    )
    first = ingest(engine, [sample_path, dump], sources)
    snapshot = _rows(engine, "SELECT id, key, updated_at, last_run_id FROM articles ORDER BY id")
    second = ingest(engine, [sample_path, dump], sources)

    assert (first.counts.loaded, first.counts.unchanged) == (3, 0)
    assert (second.counts.loaded, second.counts.updated, second.counts.unchanged) == (0, 0, 3)
    assert _rows(engine, "SELECT id, key, updated_at, last_run_id FROM articles ORDER BY id") == snapshot
    assert _rows(engine, "SELECT count(*) AS n FROM raw_documents")[0]["n"] == 3
    assert "https://thepeninsulaqatar.com/a/1" in {row["key"] for row in snapshot}


def test_changed_content_updates_the_same_row(engine: sa.Engine, sources: dict[str, Source], tmp_path: Path) -> None:
    url = "https://gulf-times.com/story/9"
    ingest(
        engine,
        [_write_dump(tmp_path / "a.jsonl", [{"url": url, "source": "gulf-times", "text": "T\n\nOld."}])],
        sources,
    )
    [before] = _rows(engine, "SELECT id, body FROM articles")
    result = ingest(
        engine,
        [_write_dump(tmp_path / "b.jsonl", [{"url": url, "source": "gulf-times", "text": "T\n\nNew."}])],
        sources,
    )
    [after] = _rows(engine, "SELECT id, body, last_run_id FROM articles")

    assert result.counts.updated == 1
    assert (after["id"], after["body"], after["last_run_id"]) == (before["id"], "New.", result.run_id)


def test_repeated_url_within_one_batch_keeps_the_last_copy(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    url = "https://gulf-times.com/story/3"
    items = [{"url": url, "source": "gulf-times", "text": f"T\n\nVersion {n}."} for n in (1, 2)]
    result = ingest(engine, [_write_dump(tmp_path / "dup.jsonl", items)], sources)

    assert (result.counts.read, result.counts.loaded, result.counts.unchanged) == (2, 1, 1)
    assert [row["body"] for row in _rows(engine, "SELECT body FROM articles")] == ["Version 2."]


def test_bad_inputs_are_rejected_with_reasons_and_the_rest_loads(
    engine: sa.Engine, sources: dict[str, Source], sample_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "peninsula"
    folder.mkdir()
    good = folder / "good.txt"
    good.write_bytes(sample_path.read_bytes())
    arabic = folder / "cp1256.txt"
    arabic.write_bytes("عنوان الخبر\n\nQNA\n\nنص الخبر".encode("cp1256"))
    missing = folder / "gone.txt"
    missing.symlink_to(tmp_path / "nowhere.txt")
    # Root reads any file whatever its mode, so unreadable is a page whose gzip stream is corrupt.
    unreadable = folder / "truncated.html.gz"
    unreadable.write_bytes(gzip.compress(b"<html><body><p>Cut short</p></body></html>")[:20])
    dump = _write_dump(tmp_path / "mixed.jsonl", [{"url": "https://gulf-times.com/x", "source": "nope", "text": "T"}])
    with dump.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")

    result = ingest(engine, [folder, missing, dump], sources)
    rejects = {(row["origin"], row["stage"], row["reason"]): row for row in _rows(engine, "SELECT * FROM rejects")}

    assert (result.counts.read, result.counts.loaded, result.counts.rejected) == (6, 1, 5)
    assert set(rejects) == {
        (str(arabic), "extract", "not-utf8"),
        (str(missing), "read", "missing"),
        (str(unreadable), "read", "unreadable"),
        (f"{dump}:1", "read", "unknown-source"),
        (f"{dump}:2", "read", "bad-json"),
    }
    assert str(arabic) in rejects[(str(arabic), "extract", "not-utf8")]["detail"]
    assert rejects[(str(arabic), "extract", "not-utf8")]["raw_document_id"] is not None
    [run] = _rows(engine, "SELECT status, read_count, rejected_count FROM ingest_runs")
    assert (run["status"], run["read_count"], run["rejected_count"]) == ("succeeded", 6, 5)


def test_rerun_of_a_reject_bumps_it_instead_of_adding_a_row(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    bad = tmp_path / "peninsula-bad.txt"
    bad.write_bytes(b"\xff\xfe broken")
    for _ in range(2):
        # A run whose every input is rejected fails, and keeps its rejects.
        with pytest.raises(NothingLanded, match=r"every one of its 1 input\(s\) was rejected: peninsula: 1 input"):
            ingest(engine, [bad], sources)

    [row] = _rows(engine, "SELECT times_seen, last_run_id FROM rejects")
    [second] = _rows(engine, "SELECT max(id) AS id FROM ingest_runs WHERE status = 'failed'")
    assert (row["times_seen"], row["last_run_id"]) == (2, second["id"])


def test_killed_connection_leaves_no_partial_batch_and_a_rerun_completes(
    engine: sa.Engine, sources: dict[str, Source], sample_path: Path, tmp_path: Path
) -> None:
    items = [
        {"url": f"https://gulf-times.com/k/{n}", "source": "gulf-times", "text": f"T\n\nBody {n}."} for n in range(50)
    ]
    dump = _write_dump(tmp_path / "batch.jsonl", items)
    failure: list[BaseException] = []

    def load() -> None:
        try:
            ingest(engine, [sample_path, dump], sources)
        except BaseException as error:
            failure.append(error)

    with engine.connect() as blocker:
        # Hold the articles table so the loader stops inside its transaction, after staging and raw documents.
        blocker.exec_driver_sql("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE")
        loader = threading.Thread(target=load)
        loader.start()
        pid = _wait_for_blocked_loader(engine)
        with engine.connect() as killer:
            killer.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        loader.join(timeout=30)
        blocker.rollback()

    assert failure and isinstance(failure[0], TransientError)
    assert _rows(engine, "SELECT count(*) AS n FROM articles")[0]["n"] == 0
    assert _rows(engine, "SELECT count(*) AS n FROM raw_documents")[0]["n"] == 0
    [failed] = _rows(engine, "SELECT status, error, read_count FROM ingest_runs")
    assert failed["status"] == "failed" and failed["read_count"] == 0 and "TransientError" in failed["error"]

    rerun = ingest(engine, [sample_path, dump], sources)
    assert (rerun.counts.loaded, rerun.counts.rejected) == (51, 0)


def _wait_for_blocked_loader(engine: sa.Engine) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rows = _rows(
            engine,
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO articles%'",
        )
        if rows:
            return int(rows[0]["pid"])
        time.sleep(0.05)
    pytest.fail("the loader never reached the articles merge")


def test_a_row_the_database_refuses_is_rejected_and_the_rest_of_the_batch_loads(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    items = [
        {"url": "https://gulf-times.com/ok/1", "source": "gulf-times", "text": "T\n\nFirst."},
        {"url": "https://gulf-times.com/nul/\u0000", "source": "gulf-times", "text": "T\n\nSecond."},
        {"url": "https://gulf-times.com/ok/3", "source": "gulf-times", "text": "T\n\nThird."},
    ]
    dump = _write_dump(tmp_path / "nul.jsonl", items)
    result = ingest(engine, [dump], sources)

    assert (result.counts.read, result.counts.loaded, result.counts.rejected) == (3, 2, 1)
    [reject] = _rows(engine, "SELECT origin, stage, reason, detail FROM rejects")
    assert (reject["origin"], reject["stage"], reject["reason"]) == (f"{dump}:2", "load", "refused-by-database")
    assert f"{dump}:2" in reject["detail"]
    assert [row["body"] for row in _rows(engine, "SELECT body FROM articles ORDER BY id")] == ["First.", "Third."]
    [run] = _rows(engine, "SELECT status, read_count, loaded_count, rejected_count FROM ingest_runs")
    assert (run["status"], run["read_count"], run["loaded_count"], run["rejected_count"]) == ("succeeded", 3, 2, 1)


def test_an_html_page_lands_with_its_declared_modification_time(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    from pipeline.fetch.files import InputOptions
    from tests.wire import STORIES

    ld = '{"@type": "NewsArticle", "datePublished": "2022-01-22T00:28:00+03:00", "dateModified": "2022-01-22T10:00"}'
    paragraphs = "".join(f"<p>{text}</p>" for text in STORIES[0][:6])
    page = tmp_path / "story.html"
    head = f'<head><script type="application/ld+json">{ld}</script></head>'
    page.write_text(f"<html>{head}<body>{paragraphs}</body></html>")
    ingest(engine, [page], sources, InputOptions(source="gulf-times"))
    [article] = _rows(engine, "SELECT published_at, modified_at, published_offset_minutes FROM articles")
    assert article["published_offset_minutes"] == 180
    # dateModified gives no zone: Gulf Times' own (Doha, UTC+3)
    assert (article["published_at"], article["modified_at"]) == (
        datetime(2022, 1, 21, 21, 28, tzinfo=UTC),
        datetime(2022, 1, 22, 7, 0, tzinfo=UTC),
    )
