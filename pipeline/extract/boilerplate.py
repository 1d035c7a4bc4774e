"""Boilerplate learned per outlet: lines that recur on many pages of one source, removed from its bodies.

A line is learned when it appears on at least `min_pages` pages of the source whose headlines all differ (so the
same story stored twice, or updated, is one page) and on at least `min_share` of the pages sampled. Learning sees
one source's pages only, and a single page can never teach anything (`min_pages` is at least 2), so a wire story
that two outlets run verbatim, or one outlet runs once, is never boilerplate. Lines are compared by their words,
lowercased, so case and punctuation changes do not hide a repeat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pipeline.record import normalize_for_hash

MIN_WORDS = 2  # a lone word ("Share", "Photo") is furniture the generic rules know; it says nothing per outlet


@dataclass(frozen=True, slots=True)
class LearnParams:
    """How much recurrence makes a line boilerplate."""

    min_pages: int = 3
    """Distinct-headline pages a line must appear on."""
    min_share: float = 0.05
    """Share of the sampled pages a line must appear on."""
    sample: int = 500
    """How many of the source's most recent pages to learn from."""

    def __post_init__(self) -> None:
        if self.min_pages < 2:
            raise ValueError("min_pages must be at least 2: a single page cannot show what recurs")
        if not 0 < self.min_share <= 1:
            raise ValueError("min_share must be in (0, 1]")
        if self.sample < self.min_pages:
            raise ValueError("sample must be at least min_pages")


@dataclass(frozen=True, slots=True)
class LearnedLine:
    """One boilerplate line of one source, with the evidence it was learned from."""

    key: str
    """The line's words, lowercased: what bodies are matched on."""
    text: str
    """The line as first seen."""
    pages: int
    """Distinct-headline pages it appeared on."""
    sampled: int
    """Pages sampled when it was learned."""
    learned_at: datetime
    """When it was learned."""

    @property
    def reason(self) -> str:
        """Why a body line matching this one is removed, for people."""
        return f"boilerplate: on {self.pages} of {self.sampled} pages sampled ({self.learned_at:%Y-%m-%d})"


@dataclass(frozen=True, slots=True)
class SamplePage:
    """What learning needs of one stored page: its headline and its body lines."""

    title: str | None
    body: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """The learned boilerplate lines of one source, by key."""

    source: str
    lines: dict[str, LearnedLine] = field(default_factory=dict)

    def strip(self, body: Sequence[str]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """The body without learned lines, and `(reason, line)` for each line removed."""
        kept: list[str] = []
        removed: list[tuple[str, str]] = []
        for line in body:
            learned = self.lines.get(normalize_for_hash(line)) if self.lines else None
            if learned is None:
                kept.append(line)
            else:
                removed.append((learned.reason, line))
        return tuple(kept), tuple(removed)


def learn_lines(pages: Iterable[SamplePage], params: LearnParams, now: datetime) -> list[LearnedLine]:
    """The lines that recur across `pages` (all of one source) enough to be boilerplate, most frequent first."""
    headlines_by_key: dict[str, set[str]] = defaultdict(set)
    first_text: dict[str, str] = {}
    sampled = 0
    for number, page in enumerate(pages):
        sampled += 1
        # A page without a headline still counts once: its number stands in for the headline.
        headline = normalize_for_hash(page.title) if page.title else f"#{number}"
        for line in page.body:
            key = normalize_for_hash(line)
            if len(key.split()) >= MIN_WORDS:
                headlines_by_key[key].add(headline)
                first_text.setdefault(key, line)
    needed = max(params.min_pages, params.min_share * sampled)
    learned = [
        LearnedLine(key, first_text[key], len(headlines), sampled, now)
        for key, headlines in headlines_by_key.items()
        if len(headlines) >= needed
    ]
    return sorted(learned, key=lambda line: (-line.pages, line.key))
