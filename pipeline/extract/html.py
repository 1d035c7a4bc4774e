"""Articles from HTML pages: one lxml parse, declared metadata read from it, trafilatura for the body, then
generic furniture removal and the byline read off what was removed.

trafilatura runs once per page without its own metadata pass (the metadata we need is read from the same tree,
which is cheaper than trafilatura's date search), a second time only when the pre-clean held the story; a source's
CSS rules from the sources file, when it has any, are applied with BeautifulSoup before that.
"""

from __future__ import annotations

import logging
import re

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from pipeline.errors import RejectedInput
from pipeline.extract.attribution import agency_name
from pipeline.extract.byline import read_byline
from pipeline.extract.bylines import visible_bylines
from pipeline.extract.dates import find_publication_day, in_local_offset
from pipeline.extract.furniture import strip_furniture
from pipeline.extract.headline import choose_headline
from pipeline.extract.metadata import read_metadata
from pipeline.extract.page import ScrapedPage
from pipeline.extract.rules import apply_rules
from pipeline.sources import Source

log = logging.getLogger(__name__)
_LANGUAGE = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]+)*", re.IGNORECASE)
MAX_HTML_CHARS = 8_000_000
"""Markup beyond this, once scripts and styles are gone, is not an article page (trafilatura's own cap is 20 MB)."""
# Elements trafilatura discards in every mode (its MANUALLY_CLEANED list); dropping them with lxml, in C, before
# trafilatura copies and searches the tree saves a sixth of its time and changes no body on the benchmark pages.
_NEVER_CONTENT = (
    *("head", "script", "style", "noscript", "svg", "template", "iframe", "embed", "object", "canvas"),
    *("nav", "aside", "footer", "button", "input", "select", "textarea", "label", "menu", "dialog"),
)
_LAYOUT = ("nav", "aside", "footer", "button", "menu", "dialog", "label")
"""Of those, the elements a template may wrap the story in."""
_SCRIPTS = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def parse_html_page(html: str, source: Source, url: str | None = None) -> ScrapedPage:
    """Title, body paragraphs, byline, dates, language and declared URL of one HTML page; raises RejectedInput."""
    html = _within_size(html.replace("\x00", ""))
    if source.rules is not None:
        html = apply_rules(html, source.rules)
    tree = _parse(html)
    metadata = read_metadata(tree, source.timezone)
    title = choose_headline(metadata, source, url)
    published_at = metadata.published_at or find_publication_day(tree, url, source.timezone, html)
    published_at = in_local_offset(published_at, html) if published_at is not None else None
    visible = visible_bylines(tree)
    # trafilatura copies and searches the whole tree several times before it drops these; dropping them first (after
    # the metadata in <head> is read) makes that cheaper. Some templates wrap the story itself in one of them (a
    # <button> card, an <aside> layout): when more paragraph text sat in them than the body holds, the page is read
    # again as it came, and the longer body kept.
    at_risk = _paragraph_chars(tree, _LAYOUT)
    etree.strip_elements(tree, *_NEVER_CONTENT, with_tail=False)
    text = _body_text(tree, url)
    if at_risk > len(text):
        whole = _body_text(_parse(html), url)
        if len(whole) > len(text):
            log.debug(
                "%s: the pre-clean held the story; read again without it (%d > %d chars)", url, len(whole), len(text)
            )
            text = whole
    outlets = _outlet_names(source, metadata.site_names)
    headlines = [text for text in (title, *metadata.titles, *metadata.h1, metadata.html_title) if text]
    cleaned = strip_furniture(text.splitlines(), headlines, source.timezone, outlets)
    # A declared organisation counts only as an agency: "Bloomberg Opinion" would otherwise pass for a person.
    declared = [*metadata.authors, [name for name in metadata.organisations if agency_name(name)]]
    byline = read_byline(cleaned.body, cleaned.removed, declared, outlets, visible)
    return ScrapedPage(
        title=title,
        body=tuple(cleaned.body),
        authors=byline.authors,
        agencies=byline.agencies,
        dateline=byline.dateline,
        published_at=published_at,
        removed=tuple(cleaned.removed),
        language=_language_code(metadata.language),
        url=metadata.canonical_url or url,
        modified_at=metadata.modified_at,
        publisher=metadata.publisher,
    )


def _body_text(tree: HtmlElement, url: str | None) -> str:
    document = trafilatura.bare_extraction(tree, url=url, with_metadata=False, include_comments=False)
    return "" if document is None or isinstance(document, dict) else document.text or ""


def _paragraph_chars(tree: HtmlElement, tags: tuple[str, ...]) -> int:
    """Characters of the paragraphs inside elements of `tags` (nested ones counted once per enclosing element)."""
    return sum(len(paragraph.text_content()) for element in tree.iter(*tags) for paragraph in element.iter("p"))


def _within_size(html: str) -> str:
    """The markup, without scripts and styles when it is too big with them; RejectedInput when still too big."""
    if len(html) <= MAX_HTML_CHARS:
        return html
    html = _SCRIPTS.sub("", html)
    if len(html) > MAX_HTML_CHARS:
        detail = f"{len(html):,} characters of markup without scripts (the limit is {MAX_HTML_CHARS:,})"
        raise RejectedInput("too-large", detail)
    return html


def _parse(html: str) -> HtmlElement:
    """The page's tree as trafilatura builds it (its parser settings change what it finds); RejectedInput when the
    text is not markup."""
    tree = load_html(html) if html.strip() else None
    if tree is None:
        raise RejectedInput("not-html", "the page holds no HTML elements")
    return tree


def _outlet_names(source: Source, site_names: list[str]) -> tuple[str, ...]:
    names = [source.name, source.name.removeprefix("The "), *site_names]
    return tuple(dict.fromkeys(name for name in names if name))


def _language_code(declared: str | None) -> str | None:
    """`en` from `en`, `en-US` or `EN_gb`; None from anything that is not a language tag."""
    match = _LANGUAGE.fullmatch((declared or "").strip())
    return match.group(1).lower() if match else None
