"""Find article URLs in feeds (RSS, Atom, JSON Feed) and sitemaps (news sitemaps, sitemap indexes, gzipped
sitemaps and plain-text ones).

Untrusted XML is checked with defusedxml before anything parses it: a document that declares entities
(billion laughs, external entities) is refused with a reason, and a gzipped sitemap is inflated a step at a time
under a cap, so memory stays bounded whatever a server sends.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from pipeline.errors import RejectedInput
from pipeline.fetch.encoding import GZIP_MAGIC, gunzip

_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass(frozen=True, slots=True)
class Listing:
    """An article URL a feed or sitemap lists, with the publication time it gives (None when it gives none)."""

    url: str
    published_at: datetime | None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Discovery:
    """What one feed or sitemap document lists: article URLs, and (for a sitemap index) further sitemaps."""

    listings: tuple[Listing, ...]
    children: tuple[Listing, ...] = ()
    """The sitemaps a sitemap index points at, each with its `lastmod` (None when it gives none)."""

    @property
    def sitemaps(self) -> tuple[str, ...]:
        """The URLs of the sitemaps a sitemap index points at, in document order."""
        return tuple(child.url for child in self.children)


def parse_sitemap_document(payload: bytes, origin: str, max_bytes: int) -> Discovery:
    """The URLs a sitemap lists: XML (a urlset, an index, or a feed), the same gzipped (inflated up to `max_bytes`),
    or plain text with one URL per line; raises RejectedInput naming `origin` when it is none of them."""
    if payload.startswith(GZIP_MAGIC):
        payload = gunzip([payload], max_bytes, origin)
    head = payload.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"<", b"{", b"["):
        return parse_listing_document(payload, origin)
    return _text_sitemap(payload, origin)


def parse_listing_document(payload: bytes, origin: str) -> Discovery:
    """The URLs listed by a feed or sitemap; raises RejectedInput naming `origin` when it is neither or unsafe."""
    head = payload.lstrip()[:1]
    if head in (b"{", b"["):
        return _json_feed(payload, origin)
    root = _safe_xml(payload, origin)
    if root.tag in (f"{_SITEMAP}urlset", f"{_SITEMAP}sitemapindex"):
        return _sitemap(root)
    return _feed(payload, origin)


def in_window(listings: Iterable[Listing], since: datetime | None, until: datetime | None) -> list[Listing]:
    """The listings published in [since, until); a listing without a time is kept, as feeds list recent items."""
    return [
        listing
        for listing in listings
        if listing.published_at is None
        or ((since is None or listing.published_at >= since) and (until is None or listing.published_at < until))
    ]


def _safe_xml(payload: bytes, origin: str) -> Element:
    try:
        root: Element = fromstring(payload, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        detail = f"{origin}: refused, it declares entities ({type(error).__name__})"
        raise RejectedInput("unsafe-xml", detail) from error
    except (ParseError, ValueError) as error:
        raise RejectedInput("bad-xml", f"{origin}: not well-formed XML: {error}") from error
    return root


def _sitemap(root: Element) -> Discovery:
    if root.tag == f"{_SITEMAP}sitemapindex":
        children = []
        for node in root.iter(f"{_SITEMAP}sitemap"):
            loc = (node.findtext(f"{_SITEMAP}loc") or "").strip()
            if loc:
                children.append(Listing(loc, _iso(node.findtext(f"{_SITEMAP}lastmod"))))
        return Discovery((), tuple(children))
    listings = []
    for node in root.iter(f"{_SITEMAP}url"):
        loc = (node.findtext(f"{_SITEMAP}loc") or "").strip()
        if loc:
            news = node.find(f"{_NEWS}news")
            when = news.findtext(f"{_NEWS}publication_date") if news is not None else None
            title = news.findtext(f"{_NEWS}title") if news is not None else None
            listings.append(Listing(loc, _iso(when or node.findtext(f"{_SITEMAP}lastmod")), title))
    return Discovery(tuple(listings))


def _feed(payload: bytes, origin: str) -> Discovery:
    parsed = feedparser.parse(payload)
    if not parsed.version and not parsed.entries:
        why = parsed.get("bozo_exception") or "no RSS, Atom or sitemap root element"
        raise RejectedInput("bad-feed", f"{origin}: not a feed or sitemap: {why}")
    listings = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link:
            moment = entry.get("published_parsed") or entry.get("updated_parsed")
            when = datetime.fromtimestamp(calendar.timegm(moment), UTC) if moment else None
            listings.append(Listing(link, when, entry.get("title")))
    return Discovery(tuple(listings))


def _text_sitemap(payload: bytes, origin: str) -> Discovery:
    """A plain-text sitemap: one absolute URL per line, in UTF-8 (other lines are ignored)."""
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RejectedInput("bad-sitemap", f"{origin}: neither XML nor UTF-8 text: {error}") from error
    urls = [line.strip() for line in text.splitlines() if line.strip().startswith(("http://", "https://"))]
    if not urls:
        raise RejectedInput("bad-sitemap", f"{origin}: neither XML nor a list of URLs, one per line")
    return Discovery(tuple(Listing(url, None) for url in dict.fromkeys(urls)))


def _json_feed(payload: bytes, origin: str) -> Discovery:
    try:
        document = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RejectedInput("bad-feed", f"{origin}: not a JSON Feed: {error}") from error
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise RejectedInput("bad-feed", f'{origin}: a JSON Feed needs an "items" list')
    listings = []
    for item in items:
        url = item.get("url") if isinstance(item, dict) else None
        if isinstance(url, str) and url:
            title = item.get("title") if isinstance(item.get("title"), str) else None
            listings.append(Listing(url, _iso(item.get("date_published")), title))
    return Discovery(tuple(listings))


def _iso(value: object) -> datetime | None:
    """An ISO 8601 time as aware UTC; a date alone is midnight UTC; None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
