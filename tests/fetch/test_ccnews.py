"""CC-NEWS imports against a CC-NEWS-shaped server on 127.0.0.1: monthly listings, WARC files built from real pages
streamed without being saved, only configured hosts kept, files read to the end never read again, broken ones
recorded and read again."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.errors import RejectedInput
from pipeline.fetch.ccnews import ArchiveFile, archives_in_window, listed_archives, listing_urls
from pipeline.run import import_cc_news
from pipeline.sources import Source
from tests.fetch import server
from tests.fetch.server import PageServer
from tests.fetch.test_http import POLICY

SINCE, UNTIL = datetime(2022, 1, 22, tzinfo=UTC), datetime(2022, 1, 23, tzinfo=UTC)
MONTH = "crawl-data/CC-NEWS/2022/01"
STAMPS = ["20220120100000", "20220121000000", "20220122000000", "20220122120000", "20220123000000"]
NAMES = [f"CC-NEWS-{stamp}-{n:05}.warc.gz" for n, stamp in enumerate(STAMPS)]
FIRST, SECOND = NAMES[2], NAMES[3]
# Real pages (tests/fixtures/pages) as two outlets of the sources file and a host no source serves would serve them.
GULF = ("https://www.gulf-times.com/story/707452/talks", "comwrap")
PENINSULA = ("https://thepeninsulaqatar.com/article/22/01/2022/space", "thespacereview")
ELSEWHERE = ("https://elsewhere.example/2022/01/22/patents", "lighthouse-ip")
GULF_LATER = ("https://www.gulf-times.com/story/707460/later", "thespacereview")
PENINSULA_LATER = ("https://thepeninsulaqatar.com/article/22/01/2022/later", "comwrap")


def warc(pages: list[tuple[str, str]]) -> bytes:
    """A gzipped WARC as CC-NEWS writes them: a request, a response and a metadata record per page."""
    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=True)
    for url, name in pages:
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        # One real page may stand for two stories: the URL in a comment makes each copy a payload of its own.
        body = server.page(name) + f"<!-- {url} -->".encode()
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
        writer.write_record(record)
        writer.write_record(writer.create_warc_record(url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 120\r\n")))
    return stream.getvalue()


def cut_in_last_record(data: bytes) -> bytes:
    """`data` cut halfway into its last response record (the gzip member before the last page's metadata)."""
    metadata = data.rindex(b"\x1f\x8b\x08")
    response = data.rindex(b"\x1f\x8b\x08", 0, metadata)
    return data[: (response + metadata) // 2]


def serve_cc_news(page_server: PageServer, second: bytes) -> str:
    """A month of CC-NEWS on the server: a listing of five files, two of them (FIRST and `second`) in the window."""
    listing = "".join(f"{MONTH}/{name}\n" for name in NAMES)
    page_server.serve(f"/{MONTH}/warc.paths.gz", gzip.compress(listing.encode()), "application/octet-stream")
    page_server.serve(f"/{MONTH}/{FIRST}", warc([GULF, ELSEWHERE, PENINSULA]), "application/octet-stream")
    page_server.serve(f"/{MONTH}/{SECOND}", second, "application/octet-stream")
    return f"{page_server.base_url}/"


def rows(engine: sa.Engine, query: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query).mappings())


def policy() -> Any:
    return replace(POLICY, allowed_hosts=frozenset({"127.0.0.1"}))


def hits(page_server: PageServer, name: str) -> int:
    return page_server.hits[f"/{MONTH}/{name}"]


# --- listings


def test_the_listings_of_every_month_the_window_touches() -> None:
    urls = listing_urls(
        "https://data.commoncrawl.org", datetime(2021, 12, 31, tzinfo=UTC), datetime(2022, 2, 1, 1, tzinfo=UTC)
    )
    months = ("2021/12", "2022/01", "2022/02")
    assert urls == [f"https://data.commoncrawl.org/crawl-data/CC-NEWS/{month}/warc.paths.gz" for month in months]
    assert len(listing_urls("https://x.example/", SINCE, UNTIL)) == 1
    with pytest.raises(ValueError, match="until must be after since"):
        listing_urls("https://x.example/", UNTIL, SINCE)


def test_the_files_holding_the_window_are_those_read() -> None:
    listing = gzip.compress("".join(f"{MONTH}/{name}\n" for name in NAMES).encode())
    files = listed_archives(listing, "warc.paths.gz", "https://data.commoncrawl.org/")
    assert files[0] == ArchiveFile(
        datetime(2022, 1, 20, 10, tzinfo=UTC), f"https://data.commoncrawl.org/{MONTH}/{NAMES[0]}"
    )
    chosen = [file.url.rsplit("/", 1)[1] for file in archives_in_window(files, SINCE, UNTIL)]
    assert chosen == [FIRST, SECOND]
    late = [
        file.url.rsplit("/", 1)[1] for file in archives_in_window(files, datetime(2022, 1, 21, 12, tzinfo=UTC), UNTIL)
    ]
    assert late == [NAMES[1], FIRST, SECOND], "the file before the window's start holds its first hours"
    with pytest.raises(RejectedInput, match="names no CC-NEWS WARC file"):
        listed_archives(b"<html>not found</html>", "warc.paths.gz", "https://data.commoncrawl.org/")


# --- imports


def test_two_warcs_land_only_configured_hosts_and_a_rerun_reads_nothing_again(
    engine: sa.Engine, sources: dict[str, Source], page_server: PageServer
) -> None:
    base = serve_cc_news(page_server, warc([GULF_LATER, PENINSULA_LATER]))
    first = import_cc_news(engine, sources, base, SINCE, UNTIL, policy=policy())

    urls = [r["url"] for r in rows(engine, "SELECT url FROM raw_documents ORDER BY url")]
    assert urls == sorted(url for url, _ in (GULF, PENINSULA, GULF_LATER, PENINSULA_LATER))
    assert rows(engine, "SELECT count(*) AS n FROM rejects") == [{"n": 0}], "other hosts are passed over, not rejected"
    assert first.counts.loaded == 4 and first.stories.articles == 4
    assert [hits(page_server, name) for name in NAMES] == [0, 0, 1, 1, 0]
    reads = rows(engine, "SELECT url, status, documents, attempts FROM archive_reads ORDER BY url")
    assert [(r["url"].rsplit("/", 1)[1], r["status"], r["documents"], r["attempts"]) for r in reads] == [
        (FIRST, "read", 2, 1), (SECOND, "read", 2, 1)
    ]  # fmt: skip

    again = import_cc_news(engine, sources, base, SINCE, UNTIL, policy=policy())
    assert [hits(page_server, name) for name in NAMES] == [0, 0, 1, 1, 0], "no file is read again"
    assert (again.counts.read, again.counts.loaded) == (0, 0)


def test_a_truncated_warc_is_recorded_and_read_again_while_the_other_lands(
    engine: sa.Engine, sources: dict[str, Source], page_server: PageServer
) -> None:
    whole = warc([GULF_LATER, PENINSULA_LATER])
    base = serve_cc_news(page_server, cut_in_last_record(whole))
    import_cc_news(engine, sources, base, SINCE, UNTIL, policy=policy())

    urls = {r["url"] for r in rows(engine, "SELECT url FROM raw_documents")}
    assert urls == {GULF[0], PENINSULA[0], GULF_LATER[0]}, "the whole records of the cut file land too"
    [reject] = rows(engine, "SELECT origin, stage, reason FROM rejects")
    assert (reject["origin"], reject["stage"], reject["reason"]) == (PENINSULA_LATER[0], "read", "truncated")
    broken = rows(engine, f"SELECT status, error, attempts FROM archive_reads WHERE url LIKE '%%{SECOND}'")
    assert broken[0]["status"] == "broken" and "truncated" in broken[0]["error"]

    # The next import reads the broken file again (whole by now), passing over what it stored the first time.
    page_server.serve(f"/{MONTH}/{SECOND}", whole, "application/octet-stream")
    rerun = import_cc_news(engine, sources, base, SINCE, UNTIL, policy=policy())
    assert (hits(page_server, FIRST), hits(page_server, SECOND)) == (1, 2)
    assert (rerun.counts.loaded, rerun.counts.skipped) == (1, 1)
    [status] = rows(engine, f"SELECT status, attempts FROM archive_reads WHERE url LIKE '%%{SECOND}'")
    assert (status["status"], status["attempts"]) == ("read", 2)


def test_a_warc_that_cannot_be_downloaded_is_a_reject_and_read_again(
    engine: sa.Engine, sources: dict[str, Source], page_server: PageServer
) -> None:
    base = serve_cc_news(page_server, b"")
    page_server.serve(f"/{MONTH}/{SECOND}", "unavailable", "text/plain", status=503)
    import_cc_news(engine, sources, base, SINCE, UNTIL, policy=replace(policy(), retries=0))
    [reject] = rows(engine, "SELECT origin, stage, reason FROM rejects")
    assert (reject["origin"].rsplit("/", 1)[1], reject["stage"], reject["reason"]) == (SECOND, "fetch", "server-error")
    assert [r["status"] for r in rows(engine, "SELECT status FROM archive_reads ORDER BY url")] == ["read", "broken"]


def test_the_sources_kept_are_those_selected_or_every_host(
    engine: sa.Engine, sources: dict[str, Source], page_server: PageServer
) -> None:
    base = serve_cc_news(page_server, warc([GULF_LATER]))
    import_cc_news(engine, sources, base, SINCE, UNTIL, selected=["peninsula"], policy=policy())
    assert {r["url"] for r in rows(engine, "SELECT url FROM raw_documents")} == {PENINSULA[0]}

    with engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE archive_reads")
    import_cc_news(engine, sources, base, SINCE, UNTIL, all_hosts=True, policy=policy())
    documents = rows(engine, "SELECT source, url FROM raw_documents ORDER BY url")
    assert (ELSEWHERE[0], "elsewhere-example") in {(d["url"], d["source"]) for d in documents}
    assert len(documents) == 4
    [made] = rows(engine, "SELECT name, domain FROM sources WHERE slug = 'elsewhere-example'")
    assert (made["name"], made["domain"]) == ("elsewhere.example", "elsewhere.example")


def test_the_import_command_streams_cc_news_and_reports_each_warc(
    engine: sa.Engine, database_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    base = serve_cc_news(page_server, warc([GULF_LATER]))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREDESK_")} | {
        "WIREDESK_DATABASE_URL": database_url, "WIREDESK_CC_NEWS_URL": base, "WIREDESK_ALLOW_PRIVATE_HOSTS": "1",
    }  # fmt: skip
    command = [
        sys.executable,
        "-m",
        "pipeline.cli",
        "import",
        "cc-news",
        "--since",
        "2022-01-22",
        "--until",
        "2022-01-23",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert f"{FIRST}: read, 2 pages" in result.stderr and f"{SECOND}: read, 1 pages" in result.stderr
    assert "read 3 · new 3" in result.stderr
    assert not list(tmp_path.iterdir()) and not any(Path().glob("*.warc.gz")), "nothing is saved"
