"""Read a source's sitemaps: indexes followed newest first within depth, count and size limits.

A sitemap index may point at thousands of sitemaps (one a month since 1998), each listing up to 50,000 URLs, and
indexes may nest. A run reads what its window needs and no more: a sitemap whose `lastmod` is before the window
has nothing new and is not asked for; the rest are read newest first, up to `SitemapLimits`; whatever a limit
leaves out is recorded as a reject on the index that listed it (`sitemap-too-deep`, `too-many-sitemaps`,
`too-many-urls`), never dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from pipeline.errors import RejectedInput
from pipeline.fetch.discovery import Listing, parse_sitemap_document


@dataclass(frozen=True, slots=True)
class SitemapLimits:
    """How much of a source's sitemaps one run reads."""

    depth: int = 2
    """Levels of indexes followed below a sitemap the source names (an index of indexes of sitemaps: 2)."""
    children: int = 50
    """Sitemaps read from one index (the newest by `lastmod`)."""
    sitemaps: int = 200
    """Sitemaps read for one source in one run, indexes included."""
    urls: int = 50_000
    """URLs taken from one source's sitemaps in one run (the sitemap protocol's limit for one sitemap)."""

    def __post_init__(self) -> None:
        for name in ("children", "sitemaps", "urls"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.depth < 0:
            raise ValueError(f"depth must be >= 0, got {self.depth}")


class SitemapReader:
    """Reads one source's sitemaps in one run, counting what its limits allow across all of them."""

    def __init__(
        self,
        fetch: Callable[[str], bytes],
        max_bytes: int,
        since: datetime | None,
        on_reject: Callable[[str, RejectedInput], None],
        limits: SitemapLimits | None = None,
    ) -> None:
        self._fetch, self._max_bytes, self._since, self._on_reject = fetch, max_bytes, since, on_reject
        self._limits = limits or SitemapLimits()
        self._seen: set[str] = set()
        self._urls = 0

    def read(self, url: str) -> list[Listing]:
        """The URLs the sitemap at `url` lists, and those of the sitemaps it points at (within the limits).

        Raises RejectedInput when the sitemap itself cannot be had or read; a sitemap it points at that fails is
        passed to `on_reject` and the rest goes on.
        """
        return self._sitemap(url, 0)

    def _sitemap(self, url: str, depth: int) -> list[Listing]:
        self._seen.add(url)
        found = parse_sitemap_document(self._fetch(url), url, self._max_bytes)
        listings = self._taken(url, found.listings)
        for child in self._children_to_read(url, found.children, depth):
            try:
                listings += self._sitemap(child.url, depth + 1)
            except RejectedInput as error:
                self._on_reject(child.url, error)
        return listings

    def _taken(self, url: str, listings: tuple[Listing, ...]) -> list[Listing]:
        room = max(0, self._limits.urls - self._urls)
        if len(listings) > room:
            why = f"lists {len(listings)} URLs; {room} taken (at most {self._limits.urls} per source and run)"
            self._on_reject(url, RejectedInput("too-many-urls", f"{url}: {why}"))
        taken = list(listings[:room])
        self._urls += len(taken)
        return taken

    def _children_to_read(self, url: str, children: tuple[Listing, ...], depth: int) -> list[Listing]:
        # A sitemap last modified before the window lists nothing published in it.
        fresh = [
            child
            for child in children
            if child.url not in self._seen
            and (self._since is None or child.published_at is None or child.published_at >= self._since)
        ]
        if not fresh:
            return []
        if depth >= self._limits.depth:
            why = f"an index {depth} levels down; its {len(fresh)} sitemaps are not read"
            self._on_reject(url, RejectedInput("sitemap-too-deep", f"{url}: {why}"))
            return []
        newest_first = sorted(fresh, key=_newest_first, reverse=True)
        room = max(0, min(self._limits.children, self._limits.sitemaps - len(self._seen)))
        if len(newest_first) > room:
            limits = f"at most {self._limits.children} per index, {self._limits.sitemaps} per source and run"
            why = f"points at {len(newest_first)} sitemaps; the {room} newest are read ({limits})"
            self._on_reject(url, RejectedInput("too-many-sitemaps", f"{url}: {why}"))
        chosen = newest_first[:room]
        self._seen.update(child.url for child in chosen)
        return chosen


def _newest_first(child: Listing) -> tuple[bool, datetime]:
    # Dated sitemaps first, newest first; undated ones after them, in document order (the sort is stable).
    return (child.published_at is not None, child.published_at or datetime.min.replace(tzinfo=UTC))
