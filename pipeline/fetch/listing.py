"""Find article links on a source's listing pages (section fronts, "latest news" pages) that no feed covers.

A listing page holds navigation, adverts and links to other sites next to the stories; only links on the
source's own domain are kept, and of those only the ones the source's `article_url_pattern` matches, if it has one.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from pipeline.errors import RejectedInput
from pipeline.fetch.discovery import Listing
from pipeline.fetch.responses import Fetched

MAX_ANCHORS = 5000
"""Most `<a>` elements looked at on one page: a page with more is a site map, not a listing."""
MAX_LINKS = 500
"""Most article links taken from one page."""


def article_links(
    html: str, page_url: str, domain: str, pattern: re.Pattern[str] | None = None, limit: int = MAX_LINKS
) -> tuple[Listing, ...]:
    """The distinct article links of a listing page, in page order: absolute http(s) URLs on `domain` (or a
    subdomain) that `pattern` matches (searched anywhere in the URL), without fragments, at most `limit`."""
    soup = BeautifulSoup(html, "lxml")
    base = _base_url(soup, page_url)
    seen = {_without_fragment(page_url)}
    links: list[Listing] = []
    for anchor in soup.find_all("a", href=True, limit=MAX_ANCHORS):
        url = _article_url(anchor, base, domain, pattern)
        if url is None or url in seen:
            continue
        seen.add(url)
        links.append(Listing(url, None, anchor.get_text(" ", strip=True) or None))
        if len(links) >= limit:
            break
    return tuple(links)


def page_links(page: Fetched, domain: str, pattern: re.Pattern[str] | None = None) -> tuple[Listing, ...]:
    """The article links of a fetched listing page (see `article_links`); raises RejectedInput when the page is not
    HTML."""
    if page.text is None or page.media_type not in ("text/html", "application/xhtml+xml"):
        raise RejectedInput("not-html", f"{page.url}: a listing page must be HTML, not {page.media_type}")
    return article_links(page.text, page.final_url, domain, pattern)


def _article_url(anchor: Tag, base: str, domain: str, pattern: re.Pattern[str] | None) -> str | None:
    href = anchor.get("href")
    if not isinstance(href, str) or not href.strip():
        return None
    try:
        url = _without_fragment(urljoin(base, href.strip()))
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not (host == domain or host.endswith(f".{domain}")):
        return None
    if pattern is not None and not pattern.search(url):
        return None
    return url


def _base_url(soup: BeautifulSoup, page_url: str) -> str:
    """The page's `<base href>` resolved against its URL, or the URL itself."""
    base = soup.find("base", href=True)
    href = base.get("href") if isinstance(base, Tag) else None
    return urljoin(page_url, href.strip()) if isinstance(href, str) and href.strip() else page_url


def _without_fragment(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(fragment=""))
