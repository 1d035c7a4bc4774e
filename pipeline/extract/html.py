"""Articles from HTML pages, with trafilatura as the engine."""

from __future__ import annotations

import re

import trafilatura

from pipeline.extract.attribution import parse_attribution
from pipeline.extract.page import ScrapedPage
from pipeline.sources import Source

_LANGUAGE = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]+)*", re.IGNORECASE)


def parse_html_page(html: bytes | str, source: Source, url: str | None = None) -> ScrapedPage:
    """Title, body paragraphs, byline, language and declared URL of one HTML page."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if document is None or isinstance(document, dict):
        return ScrapedPage(None, (), (), (), None, None, url=url)
    body = tuple(line.strip() for line in (document.text or "").splitlines() if line.strip())
    byline = parse_attribution(document.author, outlet_names=(source.name,)) if document.author else None
    authors = byline.authors if byline else tuple(a.strip() for a in (document.author or "").split(";") if a.strip())
    return ScrapedPage(
        title=(document.title or "").strip() or None,
        body=body,
        authors=authors,
        agencies=byline.agencies if byline else (),
        dateline=byline.dateline if byline else None,
        published_at=None,
        language=_language_code(document.language),
        url=document.url or url,
    )


def _language_code(declared: str | None) -> str | None:
    """`en` from `en`, `en-US` or `EN_gb`; None from anything that is not a language tag."""
    match = _LANGUAGE.fullmatch((declared or "").strip())
    return match.group(1).lower() if match else None
