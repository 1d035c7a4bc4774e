"""Turn one raw document into an Article, or reject it with a reason."""

from __future__ import annotations

from pipeline.dedupe.urls import canonical_url
from pipeline.errors import RejectedInput
from pipeline.extract.html import parse_html_page
from pipeline.extract.text import parse_scraped_page
from pipeline.record import Article, RawDocument
from pipeline.sources import Source

HTML_EXTRACTOR = "wiredesk-html/1"
TEXT_EXTRACTOR = "wiredesk-text/1"


def extract_article(document: RawDocument, source: Source) -> Article:
    """The article in `document`; raises RejectedInput when there is none."""
    if document.media_type == "text/html":
        return _from_html(document, source)
    return _from_text(document, source)


def _from_text(document: RawDocument, source: Source) -> Article:
    page = parse_scraped_page(decode_utf8(document), source)
    _require_body(document, page.body)
    return Article(
        source=source.slug,
        url=document.url,
        canonical_url=canonical_url(document.url) if document.url else None,
        title=page.title,
        body=page.body,
        authors=page.authors,
        agencies=page.agencies,
        dateline=page.dateline,
        published_at=page.published_at,
        language=source.language,
        raw_sha256=document.sha256,
        extractor=TEXT_EXTRACTOR,
    )


def _from_html(document: RawDocument, source: Source) -> Article:
    page = parse_html_page(document.payload, source, document.url)
    _require_body(document, page.body)
    return Article(
        source=source.slug,
        url=page.url,
        canonical_url=canonical_url(page.url) if page.url else None,
        title=page.title,
        body=page.body,
        authors=page.authors,
        agencies=page.agencies,
        dateline=None,
        published_at=None,
        language=page.language,
        raw_sha256=document.sha256,
        extractor=HTML_EXTRACTOR,
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


def _require_body(document: RawDocument, body: tuple[str, ...]) -> None:
    if not body:
        raise RejectedInput("empty-body", f"{document.origin}: no article text found")
