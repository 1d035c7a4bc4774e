"""What an extractor reads off one page, before it becomes an `Article`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ScrapedPage:
    """The fields one page gives, from scraped text or HTML; fields the page does not give are empty."""

    title: str | None
    """The headline, without the ticker of other headlines above it."""
    body: tuple[str, ...]
    """The story's paragraphs in order, whitespace-collapsed."""
    authors: tuple[str, ...]
    """People credited in the byline or attribution line."""
    agencies: tuple[str, ...]
    """Wire agencies credited in the byline or attribution line."""
    dateline: str | None
    """The place the attribution says the story was filed from."""
    published_at: datetime | None
    """Publication time, aware, in the offset the page states (else the outlet's zone, or UTC)."""
    removed: tuple[tuple[str, str], ...] = ()
    """`(reason, line)` for each line that is neither title nor body (ticker, date, footer...)."""
    language: str | None = None
    """ISO 639-1 code the page declares, if any."""
    url: str | None = None
    """The URL the page declares for itself (canonical link), if any."""
    modified_at: datetime | None = None
    """When the page says the story was last modified, if it says."""
    publisher: str | None = None
    """The organisation the page says publishes it (JSON-LD publisher, og:site_name), if it says."""
