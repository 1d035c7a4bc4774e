"""Turn one raw document into an Article, or reject it with a reason."""

from __future__ import annotations

from pipeline.dedupe.urls import canonical_url
from pipeline.errors import RejectedInput
from pipeline.extract.html import parse_html_page
from pipeline.extract.page import ScrapedPage
from pipeline.extract.text import parse_scraped_page
from pipeline.record import Article, RawDocument
from pipeline.sources import Source

HTML_EXTRACTOR = "wiredesk-html/1"
TEXT_EXTRACTOR = "wiredesk-text/1"


def extract_article(document: RawDocument, source: Source) -> Article:
    """The article in `document`; raises RejectedInput when there is none."""
    if document.media_type == "text/html":
        html = document.payload.decode(document.encoding, "replace") if document.encoding else document.payload
        page = parse_html_page(html, source, document.url)
        return _article(document, source, page, HTML_EXTRACTOR)
    page = parse_scraped_page(decode_utf8(document), source)
    return _article(document, source, page, TEXT_EXTRACTOR)


def _article(document: RawDocument, source: Source, page: ScrapedPage, extractor: str) -> Article:
    if not page.body:
        raise RejectedInput("empty-body", f"{document.origin}: no article text found")
    url = document.url or page.url
    return Article(
        source=source.slug,
        url=url,
        canonical_url=canonical_url(url) if url else None,
        title=page.title,
        body=page.body,
        authors=page.authors,
        agencies=page.agencies,
        dateline=page.dateline,
        published_at=page.published_at,
        language=page.language or source.language,
        raw_sha256=document.sha256,
        extractor=extractor,
    )


def decode_utf8(document: RawDocument) -> str:
    """The payload as text; raises RejectedInput naming the offending byte when it is not UTF-8."""
    try:
        text = document.payload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = document.payload[error.start]
        detail = f"{document.origin}: not UTF-8 (byte 0x{byte:02x} at offset {error.start})"
        raise RejectedInput("not-utf8", detail) from error
    if "\x00" in text:
        raise RejectedInput("binary", f"{document.origin}: contains NUL bytes; not a text page")
    return text
