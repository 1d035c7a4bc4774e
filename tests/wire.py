"""Real wire-story text for tests: article bodies from the extraction benchmark, and pages in the scraped layout."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STORIES: list[list[str]] = [
    story["paragraphs"] for story in json.loads((FIXTURES / "wire_bodies.json").read_text(encoding="utf-8"))["stories"]
]
"""Six real article bodies (MIT, see fixtures/LICENSE.article-extraction-benchmark), as lists of paragraphs."""


def page(title: str, credit: str, published: datetime, paragraphs: list[str]) -> str:
    """A scraped page in the layout the text extractor reads, its time written in Doha (UTC+3)."""
    local = (published + timedelta(hours=3)).strftime("%d %B %Y %I:%M %p")
    return "\n\n".join([title, credit, local, "\n".join(paragraphs)])
