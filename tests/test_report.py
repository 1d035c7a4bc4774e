"""The nights' report: written from the real warehouse, then opened in a real browser (Debian's chromium)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from pipeline.resources import resource_dir
from pipeline.run import ingest, write_report
from pipeline.sources import Source

CHARTS = ("chart-arrivals", "chart-copy-share", "chart-rejects")


def test_the_report_renders_its_charts_and_the_biggest_story_with_no_console_error(
    engine: sa.Engine, sources: dict[str, Source], tmp_path: Path, chromium: str
) -> None:
    bad = tmp_path / "peninsula-latin1.txt"
    bad.write_bytes("Caf\xe9 headline\n\nAFP\n\nBody.".encode("latin-1"))
    ingest(engine, [resource_dir("samples"), bad], sources)
    page_path = write_report(engine, tmp_path / "report" / "nights.html", 7, until=datetime.now(UTC) + timedelta(1))

    errors, text, drawn = _open(chromium, page_path)

    assert errors == []
    assert all(drawn[chart] for chart in CHARTS), drawn
    assert "Story 1: 5 copies from 5 outlet(s)" in text
    assert "France 24" in text and "Dawn" in text and "not-utf8" in text
    assert "7 article(s) arrived" not in text and "6 article(s) arrived, 5 of them copies" in text


def _open(chromium: str, path: Path) -> tuple[list[str], str, dict[str, int]]:
    """Console errors and page errors, the page's text, and how many SVG plots each chart drew."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(path.as_uri())
            page.wait_for_selector(f"#{CHARTS[-1]} .main-svg", timeout=30_000)
            drawn = {chart: page.locator(f"#{chart} .main-svg").count() for chart in CHARTS}
            text = page.inner_text("body")
        finally:
            browser.close()
    return errors, text, drawn
