"""Web archives and dumps: 1,000 pages import completely, an import killed midway completes on rerun, and a
rerun passes over what is stored instead of extracting it again."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.fetch.archives import read_warc
from pipeline.fetch.files import MAX_LINE_BYTES, InputOptions, read_documents
from pipeline.record import RawDocument, Reject
from pipeline.run import ingest
from pipeline.sources import Source

PAGES = 1000
SENTENCES = [
    "Officials said the talks would continue next week in the capital.",
    "The ministry did not comment on the report when contacted on Sunday.",
    "Analysts expect the decision to weigh on regional markets for months.",
    "Residents described long queues at fuel stations across the city.",
    "The agency said it had verified the figures with two independent sources.",
]


def page(number: int) -> bytes:
    """An article page whose text is its own."""
    paragraphs = "".join(
        f"<p>Report {number}, part {part}: {' '.join(SENTENCES[(number + part + k) % 5] for k in range(3))}</p>"
        for part in range(5)
    )
    return (
        f"<html><head><title>Story {number}</title></head><body><article>{paragraphs}</article></body></html>".encode()
    )


def write_warc(path: Path, pages: int) -> Path:
    """A gzipped WARC with `pages` HTML responses on gulf-times.com, plus records an import must pass over."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for number in range(pages):
            _response(
                writer, f"https://gulf-times.com/story/{number}", "200 OK", "text/html; charset=utf-8", page(number)
            )
            if number == 0:
                writer.write_record(
                    writer.create_warc_record("https://gulf-times.com/story/0", "request", payload=io.BytesIO(b"GET"))
                )
                _response(writer, "https://gulf-times.com/logo.png", "200 OK", "image/png", b"\x89PNG")
                _response(writer, "https://gulf-times.com/gone", "404 Not Found", "text/html", b"<html>gone</html>")
                _response(writer, "https://elsewhere.example/story", "200 OK", "text/html", page(-1))
    return path


def write_dump(path: Path, pages: int) -> Path:
    """A .jsonl dump with `pages` stories on gulf-times.com, the third line for a source nobody knows."""
    with path.open("w", encoding="utf-8") as stream:
        for number in range(pages):
            text = f"Story {number}\n\n" + "\n\n".join(
                f"Report {number}, part {part}: {' '.join(SENTENCES[(number + part + k) % 5] for k in range(3))}"
                for part in range(5)
            )
            line = {"url": f"https://gulf-times.com/story/{number}", "source": "gulf-times", "text": text}
            stream.write(json.dumps(line) + "\n")
            if number == 1:
                stream.write(json.dumps({"url": "https://elsewhere.example/x", "source": "nobody", "text": "x"}) + "\n")
    return path


ARCHIVES = {"warc": (write_warc, "news.warc.gz"), "jsonl": (write_dump, "news.jsonl")}


def _response(writer: WARCWriter, url: str, status: str, content_type: str, body: bytes) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


def count(engine: sa.Engine, table: str) -> int:
    """Rows in a warehouse table."""
    with engine.connect() as connection:
        return int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def test_reading_a_warc_keeps_html_responses_and_rejects_unknown_hosts(
    sources: dict[str, Source], tmp_path: Path
) -> None:
    items = list(read_warc(write_warc(tmp_path / "small.warc.gz", 3), sources))
    documents = [item for item in items if isinstance(item, RawDocument)]
    rejects = [item for item in items if isinstance(item, Reject)]

    assert [d.url for d in documents] == [f"https://gulf-times.com/story/{n}" for n in range(3)]
    assert {d.source for d in documents} == {"gulf-times"} and documents[0].payload == page(0)
    assert [(r.origin, r.reason) for r in rejects] == [("https://elsewhere.example/story", "unknown-source")]


@pytest.mark.parametrize(
    "content", [b"\x1f\x8b\x08\x00 definitely not a warc", b"plain text, not an archive", b"WARC/1.0\r\nbroken", b""]
)
def test_a_corrupt_archive_is_a_reject_not_a_crash(sources: dict[str, Source], tmp_path: Path, content: bytes) -> None:
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(content)
    [reject] = list(read_warc(broken, sources))
    assert isinstance(reject, Reject) and reject.reason == "unreadable" and str(broken) in reject.detail


@pytest.mark.parametrize(
    ("gzipped", "where"),
    [(False, "warc-headers"), (False, "http-headers"), (False, "body"), (True, "early"), (True, "late")],
)
def test_a_record_the_archive_ends_inside_is_truncated_and_the_others_are_read(
    sources: dict[str, Source], tmp_path: Path, gzipped: bool, where: str
) -> None:
    whole = tmp_path / ("whole.warc.gz" if gzipped else "whole.warc")
    last_url = "https://gulf-times.com/story/last"
    with whole.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        for number in range(3):
            _response(writer, f"https://gulf-times.com/story/{number}", "200 OK", "text/html", page(number))
        _response(writer, last_url, "200 OK", "text/html", page(3))
    data = whole.read_bytes()
    if gzipped:
        # Each record is a gzip member: cut the last one a quarter or three quarters in.
        start, end = _gzip_members(data)[-1]
        cut = start + (end - start) * (1 if where == "early" else 3) // 4
    else:
        record = data.rindex(b"WARC/1.0")
        headers = data.index(b"HTTP/1.1 200", record)
        cut = {"warc-headers": record + 40, "http-headers": headers + 20, "body": headers + 200}[where]
    broken = tmp_path / whole.name.replace("whole", "broken")
    broken.write_bytes(data[:cut])

    items = list(read_warc(broken, sources))
    documents = [item.url for item in items if isinstance(item, RawDocument)]
    [reject] = [item for item in items if isinstance(item, Reject)]
    assert documents == [f"https://gulf-times.com/story/{n}" for n in range(3)]
    assert reject.reason == "truncated"
    # Cut inside the WARC header, the record has no URL yet: the archive itself is named.
    expected = str(broken) if where == "warc-headers" else last_url
    assert reject.origin == expected or (gzipped and reject.origin == str(broken))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fraction=st.floats(0, 1))
def test_an_archive_cut_anywhere_gives_its_whole_records_and_never_crashes(
    sources: dict[str, Source], tmp_path_factory: pytest.TempPathFactory, fraction: float
) -> None:
    folder = tmp_path_factory.mktemp("cut")
    whole = write_warc(folder / "whole.warc.gz", 4)
    data = whole.read_bytes()
    cut = int(len(data) * fraction)
    broken = folder / whole.name.replace("whole", "cut")
    broken.write_bytes(data[:cut])
    complete = [item for item in read_warc(whole, sources) if isinstance(item, RawDocument)]

    items = list(read_warc(broken, sources))
    documents = [item for item in items if isinstance(item, RawDocument)]
    assert all(isinstance(item, RawDocument | Reject) for item in items)
    assert [d.payload for d in documents] == [d.payload for d in complete[: len(documents)]]
    # A cut in the last bytes of a record's gzip member (the blank lines closing the record, the checksum) loses
    # none of its content: the record is whole.
    if not any(0 <= boundary - cut <= 16 for boundary in _record_boundaries(whole)):
        reasons = [item.reason for item in items if isinstance(item, Reject)]
        assert reasons[-1:] in (["truncated"], ["unreadable"]), (cut, sorted(_record_boundaries(whole)), reasons)


def _record_boundaries(path: Path) -> set[int]:
    """The offsets where the archive's records start, and its size: where a cut leaves whole records only."""
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        starts = {iterator.get_record_offset() for _ in iterator}
    return {*starts, path.stat().st_size}


def _gzip_members(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each gzip member of `data`."""
    members, start = [], 0
    while start < len(data):
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        inflater.decompress(data[start:])
        end = len(data) - len(inflater.unused_data)
        members.append((start, end))
        start = end
    return members


def last_run(engine: sa.Engine) -> dict[str, object]:
    """The newest row of ingest_runs."""
    with engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT * FROM ingest_runs ORDER BY id DESC LIMIT 1").mappings().one()
        return dict(row)


@pytest.mark.parametrize("kind", sorted(ARCHIVES))
def test_1000_pages_import_completely_and_a_second_import_skips_them_all(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path, kind: str
) -> None:
    write, name = ARCHIVES[kind]
    archive = write(tmp_path / name, PAGES)
    first = ingest(engine, [archive], sources, command="import", skip_stored=True)
    stored = snapshot(engine)
    second = ingest(engine, [archive], sources, command="import", skip_stored=True)

    assert (first.counts.read, first.counts.loaded, first.counts.rejected, first.counts.skipped) == (
        PAGES + 1, PAGES, 1, 0
    )  # fmt: skip
    assert (second.counts.loaded, second.counts.updated, second.counts.unchanged) == (0, 0, 0)
    assert (second.counts.read, second.counts.skipped, second.counts.rejected) == (1, PAGES, 1)
    run = last_run(engine)
    assert (run["skipped_count"], run["loaded_count"], run["status"]) == (PAGES, 0, "succeeded")
    assert count(engine, "raw_documents") == count(engine, "articles") == PAGES
    assert snapshot(engine) == stored, "a skipped input touches no row"


def snapshot(engine: sa.Engine) -> list[tuple[object, ...]]:
    """Every article's id, key and last run, and every raw document's id: what a rerun must leave alone."""
    with engine.connect() as connection:
        articles = connection.exec_driver_sql("SELECT id, key, last_run_id FROM articles ORDER BY id").all()
        documents = connection.exec_driver_sql("SELECT id, sha256 FROM raw_documents ORDER BY id").all()
    return [tuple(row) for row in [*articles, *documents]]


def test_a_payload_stored_under_one_url_is_still_imported_under_another(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    text = "Same story\n\nThe ministry did not comment on the report when contacted on Sunday."
    lines = [{"url": f"https://gulf-times.com/{where}", "source": "gulf-times", "text": text} for where in ("a", "b")]
    first_dump, both = tmp_path / "one.jsonl", tmp_path / "both.jsonl"
    first_dump.write_text(json.dumps(lines[0]) + "\n", encoding="utf-8")
    both.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    ingest(engine, [first_dump], sources, command="import", skip_stored=True)
    second = ingest(engine, [both], sources, command="import", skip_stored=True)
    third = ingest(engine, [both], sources, command="import", skip_stored=True)

    assert (second.counts.skipped, second.counts.loaded) == (1, 1)
    assert (third.counts.skipped, third.counts.loaded) == (2, 0)
    assert count(engine, "articles") == 2 and count(engine, "raw_documents") == 1


@pytest.mark.parametrize("kind", sorted(ARCHIVES))
def test_an_import_killed_midway_completes_on_rerun(
    engine: sa.Engine, database_url: str, tmp_path: Path, kind: str
) -> None:
    write, name = ARCHIVES[kind]
    archive = write(tmp_path / name, PAGES)
    command = [sys.executable, "-m", "pipeline.cli", "import", str(archive), "--batch-size", "100"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREDESK_")} | {
        "WIREDESK_DATABASE_URL": database_url
    }
    importer = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while count(engine, "raw_documents") < 200 and time.monotonic() < deadline and importer.poll() is None:
        time.sleep(0.05)
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    partial = count(engine, "raw_documents")
    # Each batch is 100 inputs and the first one holds the reject of the unknown host: 99, 199, 299...
    assert 0 < partial < PAGES and partial % 100 == 99, "killed between whole batches"

    rerun = subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=300)
    assert count(engine, "raw_documents") == count(engine, "articles") == PAGES
    run = last_run(engine)
    assert (run["skipped_count"], run["loaded_count"], run["status"]) == (partial, PAGES - partial, "succeeded")
    assert f"skipped as stored {partial}" in rerun.stderr


def test_an_overlong_dump_line_is_rejected_in_bounded_memory(sources: dict[str, Source], tmp_path: Path) -> None:
    dump = tmp_path / "huge.jsonl"
    good = json.dumps({"url": "https://gulf-times.com/1", "source": "gulf-times", "text": "T\n\nFine."})
    with dump.open("w", encoding="utf-8") as stream:
        stream.write(good + "\n")
        stream.write('{"source": "gulf-times", "text": "' + "x" * (5 * MAX_LINE_BYTES) + '"}\n')
        stream.write(good.replace("/1", "/2") + "\n")

    tracemalloc.start()
    try:
        items = [(type(item).__name__, item.origin) for item in read_documents([dump], sources, InputOptions())]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert items == [("RawDocument", f"{dump}:1"), ("Reject", f"{dump}:2"), ("RawDocument", f"{dump}:3")]
    # Reading one capped line costs about twice the cap (buffer and result); the 50 MB line is never held.
    assert peak < 2.5 * MAX_LINE_BYTES, f"peak {peak} bytes for a {5 * MAX_LINE_BYTES}-byte line"
