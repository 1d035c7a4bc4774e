"""Fetch a source's new articles from the web: read its feeds, sitemaps and listing pages, then download what
they list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from pipeline.errors import RejectedInput
from pipeline.fetch.discovery import Discovery, Listing, in_window, parse_listing_document
from pipeline.fetch.http import PoliteClient
from pipeline.fetch.listing import article_links
from pipeline.fetch.responses import Validators
from pipeline.record import Outcome, Reject
from pipeline.sources import Source
from pipeline.urls import canonical_url

MAX_SITEMAP_DEPTH = 2
MAX_CHILD_SITEMAPS = 50


@dataclass(frozen=True, slots=True)
class Window:
    """The time window a run covers: sitemap items published in it are taken (feeds list recent items anyway)."""

    since: datetime | None = None
    until: datetime | None = None


@dataclass(slots=True)
class Discovered:
    """What a source's feeds, sitemaps and listing pages listed, and the listing documents that failed."""

    listings: list[Listing]
    rejects: list[Reject]
    tried: int = 0
    """Listing documents asked for (feeds, sitemaps and their children, listing pages), answered or not."""


def discover(client: PoliteClient, source: Source, window: Window, feeds: Sequence[str] | None = None) -> Discovered:
    """The article URLs a source lists: every item of its feeds, its sitemaps' items in `window`, and the
    article links of its listing pages.

    `feeds` replaces the source's own feeds, sitemaps and listing pages, for a one-off feed.
    """
    found = Discovered([], [])
    for url in source.feeds if feeds is None else feeds:
        found.listings += _listing(client, source, url, found).listings
    for url in source.sitemaps if feeds is None else ():
        found.listings += in_window(_sitemap(client, source, url, found, 0), window.since, window.until)
    for url in source.listing_pages if feeds is None else ():
        found.listings += _listing_page(client, source, url, found)
    found.listings = _unique(found.listings)
    return found


def download(client: PoliteClient, source: Source, urls: Iterable[tuple[str, Validators | None]]) -> Iterator[Outcome]:
    """Each URL's page: read as a raw document of `source`, rejected with the reason, or unchanged since stored."""
    for result in client.fetch_many(urls):
        if isinstance(result, Reject):
            yield Outcome.rejected(replace(result, source=source.slug))
        elif result.not_modified:
            yield Outcome.unchanged(source.slug, result.url)
        else:
            yield Outcome.read(result.raw_document(source.slug))


def new_urls(listings: Sequence[Listing], stored: Callable[[list[str], list[str]], set[str]]) -> list[str]:
    """The listed URLs the warehouse does not have yet (by the URL itself or its canonical form)."""
    urls = [listing.url for listing in listings]
    canonical = [canonical_url(url) or url for url in urls]
    known = stored(urls, canonical)
    return [url for url, key in zip(urls, canonical, strict=True) if url not in known and key not in known]


def _listing(client: PoliteClient, source: Source, url: str, found: Discovered) -> Discovery:
    found.tried += 1
    try:
        return parse_listing_document(client.fetch(url).payload, url)
    except RejectedInput as error:
        found.rejects.append(Reject(source.slug, url, "fetch", error.reason, error.detail))
        return Discovery(())


def _listing_page(client: PoliteClient, source: Source, url: str, found: Discovered) -> tuple[Listing, ...]:
    found.tried += 1
    try:
        page = client.fetch(url)
    except RejectedInput as error:
        found.rejects.append(Reject(source.slug, url, "fetch", error.reason, error.detail))
        return ()
    if page.text is None or page.media_type not in ("text/html", "application/xhtml+xml"):
        found.rejects.append(Reject(source.slug, url, "fetch", "not-html", f"{url}: a listing page must be HTML"))
        return ()
    return article_links(page.text, page.final_url, source.domain, source.article_url_pattern)


def _sitemap(client: PoliteClient, source: Source, url: str, found: Discovered, depth: int) -> list[Listing]:
    sitemap = _listing(client, source, url, found)
    listings = list(sitemap.listings)
    if sitemap.sitemaps and depth < MAX_SITEMAP_DEPTH:
        for child in sitemap.sitemaps[:MAX_CHILD_SITEMAPS]:
            listings += _sitemap(client, source, child, found, depth + 1)
    return listings


def _unique(listings: list[Listing]) -> list[Listing]:
    seen: set[str] = set()
    unique = []
    for listing in listings:
        key = canonical_url(listing.url) or listing.url
        if key not in seen:
            seen.add(key)
            unique.append(listing)
    return unique
