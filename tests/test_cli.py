"""The `wiredesk` command as users run it: a real process, real files, the real Postgres."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import psycopg2
import pytest
import sqlalchemy as sa

from pipeline.fetch.files import expand_paths
from pipeline.resources import resource_dir

WIREDESK = [sys.executable, "-m", "pipeline.cli"]
ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `wiredesk ARGS...` and return its result."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WIREDESK_")} | (env or {})
    result = subprocess.run([*WIREDESK, *args], capture_output=True, text=True, env=environ, timeout=120)
    if check and result.returncode != 0:
        pytest.fail(f"wiredesk {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def test_extract_json_prints_every_field_of_the_seed(sample_path: Path) -> None:
    result = run("extract", str(sample_path), "--json")
    [line] = result.stdout.splitlines()
    record = json.loads(line)

    assert record["path"] == str(sample_path)
    assert record["title"] == "US and Russia promise to work on easing tensions over Ukraine"
    assert record["agencies"] == ["AFP", "Reuters"]
    assert record["authors"] == []
    assert record["dateline"] == "Geneva"
    # Saturday 00:28 on the outlet's clock in Doha, as the page says; the same instant as 21:28 UTC on Friday
    assert record["published_at"] == "2022-01-22T00:28:00+03:00"
    assert record["published_offset_minutes"] == 180
    assert record["language"] == "en" and record["source"] == "peninsula"
    assert record["body"][0].startswith("Washington and Moscow’s top diplomats")
    assert record["body"][-1].endswith("including tanks, artillery and ammunition.")
    assert record["word_count"] > 700 and len(record["content_hash"]) == 64
    assert "extracted 1 · rejected 0" in result.stderr


def test_extract_reports_a_bad_file_and_still_prints_the_good_one(sample_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "peninsula-latin1.txt"
    bad.write_bytes("Caf\xe9 headline\n\nAFP\n\nBody.".encode("latin-1"))
    result = run("extract", str(sample_path), str(bad), "--json", check=False)
    records = [json.loads(line) for line in result.stdout.splitlines()]

    assert result.returncode == 1
    assert records[0]["title"].startswith("US and Russia")
    assert records[1]["path"] == str(bad) and records[1]["rejected"]["reason"] == "not-utf8"
    assert str(bad) in records[1]["rejected"]["detail"]


def test_extract_html_page(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story about the summit in Geneva, told at length.</p>" for n in range(8)
    )
    page.write_text(f"<html><head><title>Summit ends</title></head><body><article>{paragraphs}</article></body></html>")
    result = run("extract", str(page), "--json", "--source", "gulf-times", "--url", "https://gulf-times.com/s/1#top")
    record = json.loads(result.stdout)
    assert record["body"][0].startswith("Paragraph 0 of the story")
    assert record["canonical_url"] == "https://gulf-times.com/s/1"


def test_unknown_source_option_is_a_clear_error(sample_path: Path) -> None:
    result = run("extract", str(sample_path), "--source", "nowhere", check=False)
    assert result.returncode == 2 and "--source 'nowhere': not in the sources file" in result.stderr


def test_ingest_needs_an_upgraded_warehouse(database_url: str, sample_path: Path, tmp_path: Path) -> None:
    admin = psycopg2.connect(sa.make_url(database_url).set(drivername="postgresql").render_as_string(False))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS wiredesk_test_empty")
        cursor.execute("CREATE DATABASE wiredesk_test_empty")
    empty = sa.make_url(database_url).set(database="wiredesk_test_empty").render_as_string(False)
    try:
        result = run("ingest", str(sample_path), env={"WIREDESK_DATABASE_URL": empty}, check=False)
        assert result.returncode == 2 and "run `wiredesk db upgrade`" in result.stderr
    finally:
        with admin.cursor() as cursor:
            cursor.execute("DROP DATABASE wiredesk_test_empty WITH (FORCE)")
        admin.close()


def test_ingest_twice_reports_counts(engine: sa.Engine, database_url: str, sample_path: Path) -> None:
    env = {"WIREDESK_DATABASE_URL": database_url}
    run("db", "upgrade", env=env)
    first = run("ingest", str(sample_path), env=env)
    second = run("ingest", str(sample_path), env=env)

    assert "read 1 · new 1 · updated 0 · unchanged 0 · rejected 0" in first.stderr
    assert "read 1 · new 0 · updated 0 · unchanged 1 · rejected 0" in second.stderr
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM articles").scalar_one() == 1


def test_demo_runs_on_the_embedded_postgres(tmp_path: Path) -> None:
    env = {"WIREDESK_DATA_DIR": str(tmp_path / "data")}
    try:
        demo = run("demo", env=env)
        url = run("db", "url", env=env).stdout.strip()
        with psycopg2.connect(url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM wiredesk.articles")
            [(articles,)] = cursor.fetchall()
            cursor.execute(
                "SELECT title, agencies, dateline, published_at FROM wiredesk.articles WHERE source = 'peninsula'"
            )
            [(title, agencies, dateline, published_at)] = cursor.fetchall()
    finally:
        stop = run("db", "stop", env=env, check=False)

    samples = len(expand_paths([resource_dir("samples")]))
    assert "embedded Postgres stopped" in stop.stderr
    assert not (tmp_path / "data" / "pgdata" / "postmaster.pid").exists()
    assert "US and Russia promise to work on easing tensions over Ukraine" in demo.stdout
    assert f"read {samples} · new {samples} · updated 0 · unchanged 0 · rejected 0" in demo.stderr
    assert articles == samples
    assert (title, agencies, dateline) == (
        "US and Russia promise to work on easing tensions over Ukraine",
        ["AFP", "Reuters"],
        "Geneva",
    )
    assert published_at.isoformat() == "2022-01-21T21:28:00+00:00"


def test_dedupe_jsonl_prints_each_copy_story_offline(tmp_path: Path) -> None:
    stories = json.loads((Path(__file__).parent / "fixtures" / "wire_bodies.json").read_text())["stories"]
    body = "\n".join(stories[0]["paragraphs"])
    lines = [
        {"id": "1", "source": "a", "title": "T", "body": body, "published_at": "2022-01-21T20:00:00+00:00"},
        {"id": "2", "source": "b", "title": "T", "body": body[200:], "published_at": "2022-01-21T21:00:00+00:00"},
        {"id": "3", "source": "c", "title": "U", "body": "\n".join(stories[1]["paragraphs"]), "published_at": None},
    ]
    dump = tmp_path / "copies.jsonl"
    dump.write_text("\n".join(json.dumps(line) for line in lines) + "\n{broken\n")
    result = run(
        "dedupe", "--jsonl", str(dump), env={"WIREDESK_DATABASE_URL": "postgresql://nowhere.invalid/x"}, check=False
    )

    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"id": "1", "story_id": "1", "canonical": True},
        {"id": "2", "story_id": "1", "canonical": False},
        {"id": "3", "story_id": "3", "canonical": True},
    ]
    assert f"{dump}:4: not JSON" in result.stderr and result.returncode == 1


def test_dedupe_on_the_warehouse_records_a_run(engine: sa.Engine, database_url: str, sample_path: Path) -> None:
    env = {"WIREDESK_DATABASE_URL": database_url}
    run("ingest", str(sample_path), env=env)
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM article_signatures")
    result = run("dedupe", "--since", "2022-01-01", env=env)

    assert "articles 1 · copies 0 · new stories 0" in result.stderr
    with engine.connect() as connection:
        runs = connection.exec_driver_sql("SELECT command, status, deduped_count FROM ingest_runs ORDER BY id").all()
    assert [tuple(row) for row in runs] == [("ingest", "succeeded", 1), ("dedupe", "succeeded", 1)]


def test_delete_source_takes_its_articles_out_of_their_stories(
    engine: sa.Engine, database_url: str, sample_path: Path
) -> None:
    env = {"WIREDESK_DATABASE_URL": database_url}
    run("ingest", str(sample_path), env=env)
    result = run("db", "delete-source", "peninsula", env=env)

    assert "deleted 1 article(s) of peninsula" in result.stderr
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM articles").scalar_one() == 0
        assert connection.exec_driver_sql("SELECT count(*) FROM stories").scalar_one() == 0


def test_boilerplate_learn_show_and_explain(engine: sa.Engine, database_url: str, tmp_path: Path) -> None:
    from tests.load.test_boilerplate import APP, _write_pages

    env = {"WIREDESK_DATABASE_URL": database_url}
    pages = _write_pages(tmp_path / "gulf", "gulf", 5, [APP])
    run("ingest", str(pages), "--source", "gulf-times", env=env)

    learned = run("boilerplate", "learn", "--source", "gulf-times", "--min-pages", "3", env=env)
    assert "gulf-times: 1 boilerplate line(s) learned" in learned.stderr
    [shown] = [json.loads(line) for line in run("boilerplate", "show", env=env).stdout.splitlines()]
    assert (shown["source"], shown["line"], shown["pages"], shown["sampled"]) == ("gulf-times", APP, 5, 5)

    explained = run("boilerplate", "explain", str(pages / "gulf-0.txt"), "--source", "gulf-times", env=env)
    removed = json.loads(explained.stdout)["removed"]
    assert {"reason": removed[-1]["reason"], "line": APP} == removed[-1]
    assert removed[-1]["reason"].startswith("boilerplate: on 5 of 5 pages sampled")

    bad = run("boilerplate", "learn", "--min-pages", "1", env=env, check=False)
    assert bad.returncode == 2 and "min_pages must be at least 2" in bad.stderr


def test_version() -> None:
    result = run("--version")
    assert result.stdout.strip() == f"wiredesk {version('wiredesk')}"


def test_json_summary_strict_exit_status_runs_and_log_lines(
    engine: sa.Engine, database_url: str, sample_path: Path, tmp_path: Path
) -> None:
    env = {"WIREDESK_DATABASE_URL": database_url}
    bad = tmp_path / "peninsula-latin1.txt"
    bad.write_bytes("Caf\xe9 headline\n\nAFP\n\nBody.".encode("latin-1"))

    # A batch that finished with a reject is not an error, unless --strict.
    lenient = run("--log-format", "json", "ingest", str(sample_path), str(bad), "--json", env=env)
    strict = run("-q", "ingest", str(sample_path), str(bad), "--json", "--strict", env=env, check=False)
    runs = run("runs", "--json", "--limit", "5", env=env)

    summary = json.loads(lenient.stdout)
    assert summary["command"] == "ingest" and summary["counts"]["loaded"] == 1
    assert summary["counts"]["rejected"] == 1 and summary["stories"]["articles"] == 1
    # One log line per class of failure, naming the source, the stage, the reason and an example input.
    [line] = [json.loads(line) for line in lenient.stderr.splitlines() if line.startswith("{")]
    assert line["level"] == "WARNING" and line["logger"] == "pipeline.run"
    assert "peninsula: 1 input(s) rejected at extract (not-utf8)" in line["message"] and str(bad) in line["message"]
    assert strict.returncode == 1 and json.loads(strict.stdout)["counts"]["unchanged"] == 1
    assert "rejected at extract (not-utf8)" in strict.stderr  # -q keeps warnings
    listed = [json.loads(line) for line in runs.stdout.splitlines()]
    assert [(r["id"], r["command"], r["status"]) for r in listed] == [
        (summary["run_id"] + 1, "ingest", "succeeded"),
        (summary["run_id"], "ingest", "succeeded"),
    ]
    assert listed[1]["loaded"] == 1 and listed[1]["rejected"] == 1
    assert run("runs", env=env).stdout.count("ingest") == 2


def test_sources_check_asks_each_feed_once_and_says_what_failed(tmp_path: Path) -> None:
    from tests.dags.site import STORIES, WireSite

    sources = tmp_path / "sources.toml"
    with WireSite("Sat, 22 Jan 2022 00:28:00 GMT") as site:
        site.failing.add("/broken.rss")
        sources.write_text(
            '[sources.wire-site]\nname = "Wire Site"\ndomain = "127.0.0.1"\ntimezone = "UTC"\n'
            f'feeds = ["{site.base_url}/feed.rss"]\n'
            '[sources.broken]\nname = "Broken"\ndomain = "127.0.0.1"\ntimezone = "UTC"\n'
            f'feeds = ["{site.base_url}/broken.rss"]\n',
            encoding="utf-8",
        )
        env = {"WIREDESK_SOURCES": str(sources), "WIREDESK_ALLOW_PRIVATE_HOSTS": "1"}
        one = run("sources", "check", "wire-site", env=env)
        every = run("sources", "check", "--json", env=env, check=False)
        hits = dict(site.hits)

    assert one.returncode == 0 and "all 1 answered with items" in one.stderr
    assert "wire-site" in one.stdout and "2022-01-22 00:28 UTC" in one.stdout
    [broken, healthy] = [json.loads(line) for line in every.stdout.splitlines()]
    assert every.returncode == 1 and "1 of 2 failed" in every.stderr
    assert healthy["source"] == "wire-site" and healthy["status"] == 200 and healthy["ok"]
    assert healthy["items"] == len(STORIES) + 2 and healthy["newest"] == "2022-01-22T00:28:00+00:00"
    assert broken["source"] == "broken" and broken["status"] is None and not broken["ok"]
    assert broken["failure"] == f"server-error: {site.base_url}/broken.rss: HTTP 500 (4 attempts)"
    # Each feed once (a failing one with its retries); no article page is downloaded.
    assert hits["/feed.rss"] == 2 and not any(path.startswith(("/news/", "/wire/")) for path in hits)


def test_sources_check_names_the_file_and_key_of_an_invalid_sources_file(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[sources.x]\nname = "X"\ndomain = "x.example"\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    result = run("sources", "check", env={"WIREDESK_SOURCES": str(sources)}, check=False)
    assert result.returncode == 2
    assert f"{sources}: sources.x.timezone: 'Mars/Olympus' is not an IANA time zone" in result.stderr


def test_an_import_that_lands_nothing_fails_and_a_fetch_of_a_dead_source_asks_for_a_retry(
    engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    from tests.dags.site import WireSite

    env = {"WIREDESK_DATABASE_URL": database_url}
    (tmp_path / "empty").mkdir()
    garbage = tmp_path / "garbage.warc"
    garbage.write_bytes(b"not an archive")

    nothing = run("import", str(tmp_path / "empty"), env=env, check=False)
    rejected = run("import", str(garbage), "--json", env=env, check=False)
    sources = tmp_path / "sources.toml"
    with WireSite("Sat, 22 Jan 2022 00:28:00 GMT") as site:
        site.failing.add("/feed.rss")
        sources.write_text(
            '[sources.wire-site]\nname = "Wire Site"\ndomain = "127.0.0.1"\ntimezone = "UTC"\n'
            f'feeds = ["{site.base_url}/feed.rss"]\n',
            encoding="utf-8",
        )
        fetch_env = env | {"WIREDESK_SOURCES": str(sources), "WIREDESK_ALLOW_PRIVATE_HOSTS": "1"}
        dead = run("fetch", env=fetch_env, check=False)

    assert nothing.returncode == 2 and f"no input found in {tmp_path / 'empty'}" in nothing.stderr
    assert rejected.returncode == 1 and not rejected.stdout
    assert "every one of its 1 input(s) was rejected: no source: 1 input(s) rejected at read (unreadable)" in " ".join(
        rejected.stderr.split()
    )
    assert dead.returncode == 75
    assert "wire-site: every request failed (1 of 1 feeds, 0 of 0 pages): server-error" in " ".join(dead.stderr.split())
    with engine.connect() as connection:
        runs = connection.exec_driver_sql("SELECT command, status FROM ingest_runs ORDER BY id").all()
    assert [tuple(row) for row in runs] == [("import", "failed"), ("fetch", "failed")]


def test_a_saved_page_of_any_site_extracts_and_ingests_without_a_sources_entry(
    engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    import gzip

    page = tmp_path / "saved.html"
    page.write_bytes(gzip.decompress((ROOT / "tests/fixtures/wire-site/db6b0816c612.html.gz").read_bytes()))
    url = "https://www.chron.com/news/world/article/Esper-says-US-providing-Vietnam-with-coast-guard-14848382.php"

    record = json.loads(run("extract", str(page), "--json").stdout)
    ingested = run("ingest", str(page), "--json", env={"WIREDESK_DATABASE_URL": database_url})

    # The page's own <link rel=canonical> names its host, and a source is made for it: no rules, UTC.
    assert (record["source"], record["url"]) == ("chron-com", url)
    assert record["title"] == "Esper accuses China of intimidating smaller Asian nations"
    assert record["body"][0].startswith("HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper")
    assert json.loads(ingested.stdout)["counts"]["loaded"] == 1
    with engine.connect() as connection:
        [source] = connection.exec_driver_sql(
            "SELECT slug, name, domain, timezone FROM sources WHERE slug = 'chron-com'"
        )
        [article] = connection.exec_driver_sql("SELECT source, url FROM articles").all()
    assert tuple(source) == ("chron-com", "chron.com", "chron.com", "UTC")
    assert tuple(article) == ("chron-com", url)

    # A scraped text file says no address: it still needs a source.
    text = tmp_path / "note.txt"
    text.write_text("Headline\n\nBody.", encoding="utf-8")
    rejected = json.loads(run("extract", str(text), "--json", check=False).stdout)
    assert (
        rejected["rejected"]["reason"] == "unknown-source" and "<link rel=canonical>" in rejected["rejected"]["detail"]
    )
