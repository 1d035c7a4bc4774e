"""Fetch a source's new articles from the web: read its feeds, sitemaps and listing pages, then download what
they list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from pipeline.errors import RejectedInput
from pipeline.fetch.backoff import FeedAttempt, FeedHealth, refuse_while_backing_off
from pipeline.fetch.discovery import Listing, in_window, parse_listing_document
from pipeline.fetch.http import PoliteClient
from pipeline.fetch.listing import page_links
from pipeline.fetch.responses import Validators
from pipeline.fetch.sitemaps import SitemapReader
from pipeline.record import Outcome, Reject
from pipeline.sources import Source
from pipeline.urls import canonical_url

DISCOVERED_SITEMAP_REACH = timedelta(days=2)
"""How far back a run without a window takes the dated items of the sitemaps robots.txt lists."""


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
    attempts: list[FeedAttempt] = field(default_factory=list)
    """The source's own feeds, sitemaps and listing pages asked for, and how each went (for their back-off)."""


def discover(
    client: PoliteClient,
    source: Source,
    window: Window,
    feeds: Sequence[str] | None = None,
    health: Mapping[str, FeedHealth] | None = None,
) -> Discovered:
    """The article URLs a source lists: every item of its feeds, its sitemaps' items in `window`, and the
    article links of its listing pages. A source that names no sitemap gets those its site's robots.txt lists.

    A feed, sitemap or listing page whose `health` says it is backing off after failing runs in a row is not
    asked: it is rejected as `backoff`. `feeds` replaces the source's own feeds, sitemaps and listing pages, for
    a one-off feed, and is asked whatever its health.
    """
    reader = _Reader(client, source, {} if feeds is not None else (health or {}))
    for url in source.feeds if feeds is None else feeds:
        reader.read(url, "feed", reader.feed)
    if feeds is None and source.sitemaps:
        reader.read_sitemaps(source.sitemaps, window, dated_only=False)
    elif feeds is None:
        # A site's own sitemaps are often its whole archive, mostly undated: from those the source does not name,
        # only items dated in the run's window (by default the last days) are taken.
        recent = window if window.since else Window(datetime.now(UTC) - DISCOVERED_SITEMAP_REACH, window.until)
        reader.read_sitemaps(reader.robots_sitemaps(), recent, dated_only=True)
    for url in source.listing_pages if feeds is None else ():
        reader.read(url, "listing-page", reader.listing_page)
    reader.found.listings = _unique(reader.found.listings)
    return reader.found


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


class _Reader:
    """Reads one source's listing documents into one `Discovered`."""

    def __init__(self, client: PoliteClient, source: Source, health: Mapping[str, FeedHealth]) -> None:
        self.client, self.source, self.health = client, source, health
        self.found = Discovered([], [])

    def read(self, url: str, kind: str, listings_of: Callable[[str], Sequence[Listing]]) -> None:
        """Add what the document at `url` lists, unless it is backing off; record the attempt and its failure."""
        at = datetime.now(UTC)
        try:
            refuse_while_backing_off(self.health.get(url), at)
        except RejectedInput as error:
            self.reject(url, error)
            return
        try:
            self.found.listings += listings_of(url)
        except RejectedInput as error:
            self.reject(url, error)
            self.found.attempts.append(FeedAttempt(url, kind, at, error.reason, error.detail))
            return
        self.found.attempts.append(FeedAttempt(url, kind, at))

    def read_sitemaps(self, urls: Sequence[str], window: Window, *, dated_only: bool) -> None:
        """Add the items in `window` of the sitemaps at `urls` and of those they point at (within the limits);
        with `dated_only`, undated items are left out."""
        policy = self.client.policy
        sitemaps = SitemapReader(
            self.fetch_any_type, policy.max_bytes, window.since, self.reject, policy.sitemap_limits
        )

        def listings_of(url: str) -> list[Listing]:
            listings = in_window(sitemaps.read(url), window.since, window.until)
            return [listing for listing in listings if listing.published_at is not None or not dated_only]

        for url in urls:
            self.read(url, "sitemap", listings_of)

    def reject(self, url: str, error: RejectedInput) -> None:
        """Record that the listing document at `url` failed."""
        self.found.rejects.append(Reject(self.source.slug, url, "fetch", error.reason, error.detail))

    def feed(self, url: str) -> Sequence[Listing]:
        """The items of the feed at `url`; raises RejectedInput when it cannot be had or read."""
        return parse_listing_document(self.client.fetch(url).payload, url).listings

    def listing_page(self, url: str) -> Sequence[Listing]:
        """The article links of the listing page at `url`; raises RejectedInput when it is not an HTML page."""
        return page_links(self.client.fetch(url), self.source.domain, self.source.article_url_pattern)

    def fetch_any_type(self, url: str) -> bytes:
        """The body at `url` whatever its media type (a gzipped sitemap is application/x-gzip)."""
        return self.client.fetch(url, require_text=False).payload

    def robots_sitemaps(self) -> tuple[str, ...]:
        """The sitemaps on the source's domain that its site's robots.txt lists (see `robots_sitemaps`)."""
        return robots_sitemaps(self.client, self.source, self.reject)


def robots_sitemaps(
    client: PoliteClient, source: Source, on_failure: Callable[[str, RejectedInput], None]
) -> tuple[str, ...]:
    """The sitemaps on `source`'s domain that its site's robots.txt lists: for the origins of its feeds and listing
    pages, or `https://DOMAIN` when it names none. A robots.txt that cannot be read is passed to `on_failure`."""
    pages = [*source.feeds, *source.listing_pages] or [f"https://{source.domain}/"]
    found: list[str] = []
    for origin in dict.fromkeys(_origin(url) for url in pages):
        try:
            found += client.robots_sitemaps(origin)
        except RejectedInput as error:
            on_failure(f"{origin}/robots.txt", error)
    return tuple(url for url in dict.fromkeys(found) if _on_domain(url, source.domain))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _on_domain(url: str, domain: str) -> bool:
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return False
    return host == domain or host.endswith(f".{domain}")


def _unique(listings: list[Listing]) -> list[Listing]:
    seen: set[str] = set()
    unique = []
    for listing in listings:
        key = canonical_url(listing.url) or listing.url
        if key not in seen:
            seen.add(key)
            unique.append(listing)
    return unique
