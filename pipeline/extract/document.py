"""Turn one raw document into an Article, or reject it with a reason."""

from __future__ import annotations

from dataclasses import replace

from pipeline.errors import RejectedInput
from pipeline.extract.boilerplate import Boilerplate
from pipeline.extract.html import parse_html_page
from pipeline.extract.page import ScrapedPage
from pipeline.extract.text import parse_scraped_page
from pipeline.fetch.encoding import decode_text
from pipeline.record import Article, RawDocument
from pipeline.sources import Source
from pipeline.urls import canonical_url

HTML_EXTRACTOR = "wiredesk-html/2"
TEXT_EXTRACTOR = "wiredesk-text/1"


def extract_article(document: RawDocument, source: Source, boilerplate: Boilerplate | None = None) -> Article:
    """The article in `document`, without the source's learned `boilerplate`; raises RejectedInput when there is
    none."""
    page = extract_page(document, source, boilerplate)
    extractor = HTML_EXTRACTOR if document.media_type == "text/html" else TEXT_EXTRACTOR
    return _article(document, source, page, extractor)


def extract_page(document: RawDocument, source: Source, boilerplate: Boilerplate | None = None) -> ScrapedPage:
    """Every field `document` gives, with each removed line and its reason (learned boilerplate included)."""
    if document.media_type == "text/html":
        page = parse_html_page(decode_html(document), source, document.url)
    else:
        page = parse_scraped_page(decode_utf8(document), source)
    if boilerplate is None or not boilerplate.lines:
        return page
    body, removed = boilerplate.strip(page.body)
    return replace(page, body=body, removed=page.removed + removed)


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
        modified_at=page.modified_at,
        publisher=page.publisher,
        credits=tuple(line for reason, line in page.removed if reason == "credits"),
    )


# Signatures of files that are not markup but get served as text/html: images, PDFs, archives, media.
_BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF (WebP, WAV, AVI) file"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x00", "a media file"),
)
_BINARY_SHARE = 0.01


def decode_html(document: RawDocument) -> str:
    """The page as text, in the encoding decided at fetch time or detected; RejectedInput for binary content."""
    head = document.payload[:4096].lstrip()
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature) and not head.startswith(b"\x00\x00\xfe\xff"):
            raise RejectedInput("not-html", f"{document.origin}: served as HTML but is {kind}")
    # A stray NUL in a real page is dropped later; many of them mean the bytes are not text at all (UTF-16 and
    # UTF-32 pages, which are mostly NULs, announce themselves with a BOM).
    utf16_or_32 = head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))
    if not utf16_or_32 and document.payload[:65536].count(0) > _BINARY_SHARE * min(len(document.payload), 65536):
        raise RejectedInput("binary", f"{document.origin}: contains NUL bytes throughout; not an HTML page")
    if document.encoding:
        return document.payload.decode(document.encoding, "replace")
    return decode_text(document.payload, None).text


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
