"""Articles from HTML pages, with trafilatura as the engine."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from pipeline.extract.attribution import parse_attribution
from pipeline.sources import Source


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """What the HTML engine found on a page."""

    title: str | None
    body: tuple[str, ...]
    authors: tuple[str, ...]
    agencies: tuple[str, ...]
    language: str | None
    url: str | None


def parse_html_page(html: bytes, source: Source, url: str | None = None) -> HtmlPage:
    """Title, body paragraphs, byline and language of one HTML page."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if document is None or isinstance(document, dict):
        return HtmlPage(None, (), (), (), None, url)
    body = tuple(line.strip() for line in (document.text or "").splitlines() if line.strip())
    byline = parse_attribution(document.author or "", outlet_names=(source.name,)) if document.author else None
    authors = byline.authors if byline else tuple(a.strip() for a in (document.author or "").split(";") if a.strip())
    return HtmlPage(
        title=(document.title or "").strip() or None,
        body=body,
        authors=authors,
        agencies=byline.agencies if byline else (),
        language=document.language or source.language,
        url=document.url or url,
    )
