"""Ask each of a source's feeds, sitemaps and listing pages once, and say what came back: for `wiredesk sources
check`, before a source is trusted to a night's run.

A probe reads the document itself and nothing it points at: a sitemap index counts its child sitemaps and gives
their newest `lastmod`, and no article page is downloaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from pipeline.errors import RejectedInput
from pipeline.fetch.discovery import Discovery, Listing, parse_listing_document, parse_sitemap_document
from pipeline.fetch.http import PoliteClient
from pipeline.fetch.listing import page_links
from pipeline.fetch.responses import Fetched
from pipeline.fetch.web import robots_sitemaps
from pipeline.sources import Source


@dataclass(frozen=True, slots=True)
class Probe:
    """What one feed, sitemap or listing page of a source answered."""

    source: str
    kind: str
    """`feed`, `sitemap` or `listing-page`."""
    url: str
    status: int | None
    """The HTTP status of the final answer; None when none came (refused, unreachable, or failed)."""
    items: int
    """Article URLs the document lists (for a sitemap index: the sitemaps it points at)."""
    newest: datetime | None
    """The newest publication time (or `lastmod`) among them; None when they give none."""
    failure: str | None = None
    """Why it gave nothing usable, as `reason: detail` (the reasons a fetch records as rejects)."""

    @property
    def ok(self) -> bool:
        """The document answered and lists at least one item."""
        return self.failure is None and self.items > 0


def probe_source(client: PoliteClient, source: Source) -> Iterator[Probe]:
    """A probe of each of `source`'s feeds, sitemaps and listing pages, in that order, as each answers. A source
    that names no sitemap is probed for those its site's robots.txt lists, as a fetch would read them."""
    slug = source.slug

    def sitemap(page: Fetched) -> Discovery:
        return parse_sitemap_document(page.payload, page.url, client.policy.max_bytes)

    def any_type(url: str) -> Fetched:
        return client.fetch(url, require_text=False)

    for url in source.feeds:
        yield _probe(slug, "feed", url, lambda page: parse_listing_document(page.payload, page.url), client.fetch)
    robots: list[Probe] = []
    if not source.sitemaps:

        def unreadable(url: str, error: RejectedInput) -> None:
            robots.append(Probe(slug, "robots.txt", url, None, 0, None, f"{error.reason}: {error.detail}"))

        found = robots_sitemaps(client, source, unreadable)
        yield from robots
        if not (found or robots or source.feeds or source.listing_pages):
            where = f"https://{source.domain}/robots.txt"
            yield Probe(slug, "robots.txt", where, None, 0, None, f"empty: {where} lists no sitemap on {source.domain}")
        for url in found:
            yield _probe(slug, "sitemap (robots.txt)", url, sitemap, any_type)
    for url in source.sitemaps:
        yield _probe(slug, "sitemap", url, sitemap, any_type)
    for url in source.listing_pages:
        yield _probe(
            slug, "listing-page", url,
            lambda page: Discovery(page_links(page, source.domain, source.article_url_pattern)), client.fetch,
        )  # fmt: skip


def _probe(
    slug: str, kind: str, url: str, read: Callable[[Fetched], Discovery], fetch: Callable[[str], Fetched]
) -> Probe:
    try:
        page = fetch(url)
    except RejectedInput as error:
        return Probe(slug, kind, url, None, 0, None, f"{error.reason}: {error.detail}")
    try:
        found = read(page)
    except RejectedInput as error:
        return Probe(slug, kind, url, page.status, 0, None, f"{error.reason}: {error.detail}")
    listed = found.listings or found.children
    failure = None if listed else f"empty: {url} lists no items"
    return Probe(slug, kind, url, page.status, len(listed), _newest(listed), failure)


def _newest(listings: tuple[Listing, ...]) -> datetime | None:
    return max((listing.published_at for listing in listings if listing.published_at), default=None)
