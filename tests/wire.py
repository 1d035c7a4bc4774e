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


def reworded(paragraphs: list[str], every: int = 8) -> list[str]:
    """`paragraphs` as a rewrite might put them, deterministically: one word in `every` dropped or replaced, in
    turn, so that few 5-word runs survive while most of each sentence's words do."""
    out = []
    for paragraph in paragraphs:
        words = paragraph.split()
        kept = [
            ("notably" if (n // every) % 2 else "") if n % every == every - 1 else word for n, word in enumerate(words)
        ]
        out.append(" ".join(word for word in kept if word))
    return out
