"""From a feed and a news sitemap on a real server to warehouse rows, and a second run that downloads nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pipeline.fetch.http import FetchPolicy
from pipeline.fetch.web import Window
from pipeline.run import fetch
from tests.fetch.server import PAGE_NAMES, PageServer

NIGHT = Window(datetime(2022, 1, 22, tzinfo=UTC), datetime(2022, 1, 23, tzinfo=UTC))


def sources_for(server: PageServer) -> dict[str, Any]:
    """One source served by the test server, with its feed and its sitemap index."""
    from pipeline.sources import Source

    return {
        "local": Source(
            "local", "Local Times", "127.0.0.1", ZoneInfo("UTC"), "en",
            feeds=(f"{server.base_url}/feed.rss",), sitemaps=(f"{server.base_url}/sitemap-index.xml",),
        )
    }  # fmt: skip


def policy() -> FetchPolicy:
    """Fast and allowed to reach 127.0.0.1."""
    return FetchPolicy(
        min_interval=0, retries=1, backoff=0.01, allow_private_hosts=True, allowed_hosts=frozenset({"127.0.0.1"})
    )


def rows(engine: sa.Engine, query: str) -> list[Any]:
    """Rows of `query`."""
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query).mappings())


def test_a_feed_and_a_sitemap_become_articles_and_a_second_run_downloads_nothing(
    engine: sa.Engine, page_server: PageServer
) -> None:
    sources = sources_for(page_server)
    first = fetch(engine, sources, ["local"], NIGHT, policy=policy())
    pages_after_first = sum(page_server.hits[f"/page/{name}"] for name in PAGE_NAMES)

    # The feed's three pages (one listed twice, with tracking parameters) and the sitemap's page in the window.
    documents = rows(
        engine, "SELECT origin, final_url, http_status, content_type, encoding FROM raw_documents ORDER BY origin"
    )
    assert [d["origin"].rsplit("/", 1)[1] for d in documents] == sorted(PAGE_NAMES)
    assert {d["http_status"] for d in documents} == {200} and all(d["encoding"] for d in documents)
    rejects = {(r["origin"].rsplit("/", 1)[1], r["stage"], r["reason"]) for r in rows(engine, "SELECT * FROM rejects")}
    assert rejects == {("always-500", "fetch", "server-error"), ("image.png", "fetch", "not-text")}
    assert page_server.hits["/gzip/" + PAGE_NAMES[2]] == 0, "the sitemap's old page is outside the window"
    assert (first.counts.read, first.counts.loaded, first.counts.rejected) == (5, 3, 2)
    [run] = rows(engine, "SELECT status, listed_count, skipped_count FROM ingest_runs")
    assert (run["status"], run["listed_count"], run["skipped_count"]) == ("succeeded", 5, 0)

    second = fetch(engine, sources, ["local"], NIGHT, policy=policy())
    assert sum(page_server.hits[f"/page/{name}"] for name in PAGE_NAMES) == pages_after_first
    assert second.counts.loaded == 0
    [_, again] = rows(engine, "SELECT listed_count, skipped_count FROM ingest_runs ORDER BY id")
    assert (again["listed_count"], again["skipped_count"]) == (5, 3)


def test_the_fetch_command_takes_a_one_off_feed_to_the_warehouse(
    engine: sa.Engine, database_url: str, page_server: PageServer, tmp_path: Any
) -> None:
    import os
    import subprocess
    import sys

    config = tmp_path / "sources.toml"
    config.write_text(
        f'[sources.local]\nname = "Local Times"\ndomain = "127.0.0.1"\ntimezone = "UTC"\n'
        f'feeds = ["{page_server.base_url}/feed.rss"]\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREDESK_")} | {
        "WIREDESK_DATABASE_URL": database_url, "WIREDESK_SOURCES": str(config), "WIREDESK_ALLOW_PRIVATE_HOSTS": "1",
    }  # fmt: skip
    command = [
        sys.executable,
        "-m",
        "pipeline.cli",
        "fetch",
        "--source",
        "local",
        "--feed",
        f"{page_server.base_url}/feed.rss",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert "read 4 · new 2 · updated 0 · unchanged 0 · rejected 2" in result.stderr
    assert rows(engine, "SELECT count(*) AS n FROM articles") == [{"n": 2}]

    refused = subprocess.run(
        command[:-4], env=env | {"WIREDESK_ALLOW_PRIVATE_HOSTS": ""}, capture_output=True, text=True
    )
    # Every request to the source refused: the command says so, naming it and why, and the rejects are kept.
    assert refused.returncode == 75 and "local: every request failed (1 of 1 feeds" in refused.stderr
    assert "private-address" in "".join(str(r["reason"]) for r in rows(engine, "SELECT reason FROM rejects"))


def test_a_one_off_feed_of_a_site_no_source_serves_fetches_under_a_source_made_for_its_host(
    engine: sa.Engine, database_url: str, page_server: PageServer, tmp_path: Any
) -> None:
    import os
    import subprocess
    import sys

    config = tmp_path / "sources.toml"
    config.write_text('[sources.elsewhere]\nname = "Elsewhere"\ndomain = "elsewhere.example"\ntimezone = "UTC"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREDESK_")} | {
        "WIREDESK_DATABASE_URL": database_url, "WIREDESK_SOURCES": str(config), "WIREDESK_ALLOW_PRIVATE_HOSTS": "1",
    }  # fmt: skip
    command = [sys.executable, "-m", "pipeline.cli", "fetch", "--feed", f"{page_server.base_url}/feed.rss"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert "read 4 · new 2 · updated 0 · unchanged 0 · rejected 2" in result.stderr
    assert rows(engine, "SELECT DISTINCT source FROM articles") == [{"source": "127-0-0-1"}]
    assert rows(engine, "SELECT domain FROM sources WHERE slug = '127-0-0-1'") == [{"domain": "127.0.0.1"}]


def test_a_hostile_server_costs_rejects_with_reasons_and_the_run_finishes(
    engine: sa.Engine, page_server: PageServer
) -> None:
    from pipeline.sources import Source

    base = page_server.base_url
    source = Source(
        "local", "Local Times", "127.0.0.1", ZoneInfo("UTC"), "en",
        feeds=(f"{base}/hostile.rss", f"{base}/billion-laughs.rss"),
    )  # fmt: skip
    fast = FetchPolicy(
        min_interval=0, retries=2, backoff=0.01, total_timeout=1.0, read_timeout=1.0, max_bytes=5_000_000,
        allow_private_hosts=True, allowed_hosts=frozenset({"127.0.0.1"}),
    )  # fmt: skip
    result = fetch(engine, {"local": source}, ["local"], policy=fast)

    rejects = {(r["origin"].rsplit("/", 1)[1], r["reason"]) for r in rows(engine, "SELECT * FROM rejects")}
    assert rejects == {
        ("billion-laughs.rss", "unsafe-xml"),
        ("drip", "timeout"),
        ("huge", "too-large"),
        ("bomb", "decompression-bomb"),
        ("loop-a", "redirect-loop"),
        ("image.png", "not-text"),
        ("missing", "http-404"),
    }
    # /flaky and /rate-limited serve the same page: one raw document (by sha256), two articles (by URL).
    documents = rows(engine, "SELECT origin, encoding FROM raw_documents ORDER BY origin")
    assert [d["origin"].rsplit("/", 1)[1] for d in documents] == ["arabic", "flaky"]
    urls = [r["url"].rsplit("/", 1)[1] for r in rows(engine, "SELECT url FROM articles ORDER BY url")]
    assert urls == ["arabic", "flaky", "rate-limited"]
    arabic = rows(engine, "SELECT body FROM articles WHERE url LIKE '%%/arabic'")
    assert arabic and "وزارة الخارجية القطرية" in arabic[0]["body"]
    assert (page_server.hits["/flaky"], page_server.hits["/rate-limited"]) == (2, 2)
    [run] = rows(engine, "SELECT status, read_count, rejected_count FROM ingest_runs")
    assert (run["status"], run["read_count"], run["rejected_count"]) == ("succeeded", 10, 7)
    assert result.counts.loaded + result.counts.rejected == 10


def test_a_refresh_asks_again_with_validators_and_unchanged_pages_cost_nothing(
    engine: sa.Engine, page_server: PageServer
) -> None:
    sources = sources_for(page_server)
    fetch(engine, sources, ["local"], NIGHT, policy=policy())
    before = rows(engine, "SELECT count(*) AS n FROM raw_documents")
    refreshed = fetch(engine, sources, ["local"], NIGHT, refresh=True, policy=policy())

    conditional = [r for r in page_server.requests if r["path"].startswith("/page/") and "if-none-match" in r]
    assert len(conditional) == 3, "every stored page was asked for with its ETag"
    assert rows(engine, "SELECT count(*) AS n FROM raw_documents") == before
    assert (refreshed.counts.loaded, refreshed.counts.unchanged) == (0, 3)
    [_, again] = rows(
        engine, "SELECT listed_count, skipped_count, unchanged_count, status FROM ingest_runs ORDER BY id"
    )
    assert (again["listed_count"], again["skipped_count"], again["unchanged_count"], again["status"]) == (
        5,
        0,
        3,
        "succeeded",
    )


def test_fetch_only_stores_pages_and_reextract_turns_them_into_articles(
    engine: sa.Engine, page_server: PageServer
) -> None:
    from pipeline.run import reextract

    sources = sources_for(page_server)
    stored = fetch(engine, sources, ["local"], NIGHT, fetch_only=True, policy=policy())
    assert (stored.counts.read, stored.counts.stored, stored.counts.rejected, stored.counts.loaded) == (5, 3, 2, 0)
    assert rows(engine, "SELECT count(*) AS n FROM articles") == [{"n": 0}]
    [run] = rows(engine, "SELECT status, stored_count FROM ingest_runs")
    assert (run["status"], run["stored_count"]) == ("succeeded", 3)

    again = reextract(engine, sources, "local", unextracted=True)
    assert (again.counts.read, again.counts.loaded, again.counts.rejected) == (3, 3, 0)
    assert rows(engine, "SELECT count(*) AS n FROM articles") == [{"n": 3}]
    assert again.stories.articles == 3
    waiting = "SELECT count(*) AS n FROM raw_documents WHERE extracted_run_id IS NULL"
    assert rows(engine, waiting) == [{"n": 0}], "every stored document is marked extracted"

    nothing_left = reextract(engine, sources, "local", unextracted=True)
    assert nothing_left.counts.read == 0
    everything = reextract(engine, sources, "local")
    assert (everything.counts.read, everything.counts.unchanged, everything.counts.rejected) == (3, 3, 0)


def test_reextract_rejects_documents_of_a_source_no_longer_configured(
    engine: sa.Engine, page_server: PageServer
) -> None:
    from pipeline.run import reextract

    fetch(engine, sources_for(page_server), ["local"], NIGHT, fetch_only=True, policy=policy())
    result = reextract(engine, {}, None)
    assert (result.counts.read, result.counts.rejected) == (3, 3)
    reasons = {r["reason"] for r in rows(engine, "SELECT reason FROM rejects WHERE stage = 'extract'")}
    assert reasons == {"unknown-source"}


def test_a_listing_page_in_the_sources_file_brings_its_stories_to_the_warehouse(
    engine: sa.Engine, page_server: PageServer, tmp_path: Any
) -> None:
    from pipeline.sources import load_sources

    config = tmp_path / "sources.toml"
    config.write_text(
        f'[sources.local]\nname = "Local Times"\ndomain = "127.0.0.1"\ntimezone = "UTC"\n'
        f"listing_pages = [\"{page_server.base_url}/section/world\"]\narticle_url_pattern = '/page/[a-z-]+$'\n"
    )
    sources = load_sources(config)
    first = fetch(engine, sources, ["local"], NIGHT, policy=policy())
    second = fetch(engine, sources, ["local"], NIGHT, policy=policy())

    documents = rows(engine, "SELECT origin FROM raw_documents ORDER BY origin")
    assert [d["origin"] for d in documents] == [f"{page_server.base_url}/page/{name}" for name in PAGE_NAMES[:2]]
    assert (page_server.hits["/about"], page_server.hits["/"]) == (0, 0), "navigation is not fetched"
    assert first.counts.read == 2 and second.counts.read == 0
    runs = rows(engine, "SELECT listed_count, skipped_count FROM ingest_runs ORDER BY id")
    assert [(run["listed_count"], run["skipped_count"]) for run in runs] == [(2, 0), (2, 2)]
