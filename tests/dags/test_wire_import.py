"""wire_import with dag.test(): an archive by path, the same archive by URL from 127.0.0.1, then re-extraction."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.dags.conftest import dag_named
from tests.dags.test_wire_ingest import task_states
from tests.fetch.test_archives import write_warc

PAGES = 20


@pytest.fixture
def archive_server(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A WARC of PAGES gulf-times.com pages, and its URL on a file server on 127.0.0.1."""
    archive = write_warc(tmp_path / "news.warc.gz", PAGES)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield archive, f"http://127.0.0.1:{httpd.server_address[1]}/{archive.name}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def counts(engine: sa.Engine) -> tuple[int, int, int]:
    """Articles, stories and rejects in the warehouse."""
    with engine.connect() as connection:
        return tuple(
            connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in ("articles", "stories", "rejects")
        )


def test_an_archive_imports_by_path_then_by_url_unchanged_then_reextracts(
    airflow_db: Path,
    warehouse_connection: sa.Engine,
    archive_server: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WIREDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WIREDESK_ALLOW_PRIVATE_HOSTS", "1")
    engine = warehouse_connection
    archive, url = archive_server
    dag = dag_named("wire_import")

    by_path = dag.test(run_conf={"path": str(archive)})
    assert by_path.state == "success", task_states(by_path)
    # Every page, in one story (the generated pages are built from the same five sentences); the page of a host
    # not in the sources file is a reject.
    assert counts(engine) == (PAGES, 1, 1)

    by_url = dag.test(run_conf={"path": url})
    assert by_url.state == "success", task_states(by_url)
    assert counts(engine) == (PAGES, 1, 1)
    assert (tmp_path / "data" / "downloads" / archive.name).read_bytes() == archive.read_bytes()

    again = dag.test(run_conf={"reextract": True, "source": "gulf-times"})
    assert again.state == "success", task_states(again)
    states = task_states(again)
    assert (states["import_dump[-1]"], states["reextract[-1]"]) == ("skipped", "success")
    with engine.connect() as connection:
        last = connection.exec_driver_sql(
            "SELECT command, dag_id, read_count, unchanged_count FROM ingest_runs ORDER BY id DESC LIMIT 1"
        ).one()
    assert tuple(last) == ("reextract", "wire_import", PAGES, PAGES)


def test_an_import_without_a_path_fails_saying_so(airflow_db: Path, warehouse_connection: sa.Engine) -> None:
    run = dag_named("wire_import").test(run_conf={})
    assert run.state == "failed"
    [failed] = [ti for ti in run.get_task_instances() if ti.state == "failed"]
    assert (failed.task_id, failed.try_number) == ("import_dump", 1), "a missing path is not retried"


def test_an_import_that_rejects_everything_fails_saying_why_and_a_good_one_updates_the_asset(
    airflow_db: Path, warehouse_connection: sa.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.dags.test_source_health import asset_extras

    monkeypatch.setenv("WIREDESK_DATA_DIR", str(tmp_path / "data"))
    dump = tmp_path / "dump"
    dump.mkdir()
    for n in range(3):
        (dump / f"note-{n}.txt").write_text(f"Headline {n}\n\nBody of note {n}.", encoding="utf-8")
    dag = dag_named("wire_import")
    events_before = len(asset_extras())

    rejected = dag.test(run_conf={"path": str(dump)})
    assert rejected.state == "failed", task_states(rejected)
    states = task_states(rejected)
    assert (states["import_dump[-1]"], states["check[-1]"]) == ("failed", "upstream_failed")
    [failed] = [ti for ti in rejected.get_task_instances() if ti.task_id == "import_dump"]
    assert failed.try_number == 1, "rejecting every input again would not help: no retry"
    with warehouse_connection.connect() as connection:
        details = connection.exec_driver_sql("SELECT detail FROM rejects").scalars().all()
        [(status, error)] = connection.exec_driver_sql("SELECT status, error FROM ingest_runs").all()
    assert len(details) == 3
    assert status == "failed" and error.startswith("NothingLanded: run ") and "every one of its 3 input(s)" in error
    # Advice for the form this run came from, not for a command line it never had.
    assert all("name it in the form's `source` field" in detail and "--source" not in detail for detail in details)
    assert len(asset_extras()) == events_before, "a failed import does not update the asset"

    archive = write_warc(tmp_path / "news.warc.gz", PAGES)
    imported = dag.test(run_conf={"path": str(archive), "source": None, "reextract": False})
    assert imported.state == "success", task_states(imported)
    extra = asset_extras()[-1]
    assert (extra["articles_new"], extra["rejected"], extra["dag_run_id"]) == (PAGES, 1, imported.run_id)


def test_a_cc_news_window_imports_each_warc_in_a_task_of_its_own(
    airflow_db: Path, warehouse_connection: sa.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.fetch.server import PageServer
    from tests.fetch.test_ccnews import FIRST, GULF_LATER, PENINSULA_LATER, SECOND, SINCE, UNTIL, serve_cc_news, warc

    server = PageServer().start()
    try:
        monkeypatch.setenv("WIREDESK_CC_NEWS_URL", serve_cc_news(server, warc([GULF_LATER, PENINSULA_LATER])))
        monkeypatch.setenv("WIREDESK_ALLOW_PRIVATE_HOSTS", "1")
        monkeypatch.setenv("WIREDESK_DATA_DIR", str(tmp_path / "data"))
        window = {"cc_news_since": SINCE.isoformat(), "cc_news_until": UNTIL.isoformat()}
        imported = dag_named("wire_import").test(run_conf=window)
        again = dag_named("wire_import").test(run_conf=window)
        hits = dict(server.hits)
    finally:
        server.stop()

    assert imported.state == "success", task_states(imported)
    warcs = [ti for ti in imported.get_task_instances() if ti.task_id == "import_warc"]
    assert sorted(ti.rendered_map_index for ti in warcs) == [FIRST, SECOND], "one task per file, named by it"
    assert task_states(imported)["import_dump[-1]"] == "skipped"
    with warehouse_connection.connect() as connection:
        runs = connection.exec_driver_sql(
            "SELECT inputs, loaded_count FROM ingest_runs WHERE dag_run_id = %(id)s ORDER BY id",
            {"id": imported.run_id},
        ).all()
    assert sorted(run.inputs[0].rsplit("/", 1)[1] for run in runs) == [FIRST, SECOND]
    assert sum(run.loaded_count for run in runs) == 4 and counts(warehouse_connection)[0] == 4
    # A rerun of the window lists the same files and reads neither again.
    assert again.state == "success", task_states(again)
    assert [hits[path] for path in sorted(hits) if path.endswith(".warc.gz")] == [1, 1]
