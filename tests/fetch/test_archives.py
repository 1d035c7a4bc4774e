"""Web archives: a WARC of 1,000 pages imports completely, and an import killed midway completes on rerun."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.fetch.archives import read_warc
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


def test_a_warc_of_1000_pages_imports_completely_and_again_unchanged(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path
) -> None:
    archive = write_warc(tmp_path / "news.warc.gz", PAGES)
    first = ingest(engine, [archive], sources, command="import")
    second = ingest(engine, [archive], sources, command="import")

    assert (first.counts.read, first.counts.loaded, first.counts.rejected) == (PAGES + 1, PAGES, 1)
    assert (second.counts.loaded, second.counts.unchanged) == (0, PAGES)
    assert count(engine, "raw_documents") == count(engine, "articles") == PAGES


def test_an_import_killed_midway_completes_on_rerun(engine: sa.Engine, database_url: str, tmp_path: Path) -> None:
    archive = write_warc(tmp_path / "news.warc.gz", PAGES)
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

    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    assert count(engine, "raw_documents") == count(engine, "articles") == PAGES
