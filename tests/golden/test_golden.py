"""Golden pages: real pages whose extracted fields are pinned and whose bodies must (not) contain given snippets.

Regenerate with `python -m tests.golden.regenerate` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.sources import load_sources
from tests.golden.regenerate import SOURCES, expected_path, extract_golden, fields_of, golden_pages

PAGES = golden_pages()


def test_there_are_at_least_forty_golden_pages_in_eight_languages() -> None:
    languages = {json.loads(expected_path(page).read_text(encoding="utf-8"))["language"] for page in PAGES}
    assert len(PAGES) >= 40 and len(languages - {None}) >= 8, (len(PAGES), sorted(map(str, languages)))


@pytest.mark.parametrize("page", PAGES, ids=[f"{page.parent.name}/{page.name}" for page in PAGES])
def test_golden_page(page: Path) -> None:
    expected = json.loads(expected_path(page).read_text(encoding="utf-8"))
    article = extract_golden(page, load_sources(SOURCES))
    assert fields_of(article) == {name: expected[name] for name in fields_of(article)}
    body = "\n".join(article.body)
    assert expected["must_contain"], "every golden page names text its body must keep"
    missing = [snippet for snippet in expected["must_contain"] if snippet not in body]
    kept = [snippet for snippet in expected["must_not_contain"] if snippet in body]
    assert missing == [], "story text lost"
    assert kept == [], "furniture kept in the body"
