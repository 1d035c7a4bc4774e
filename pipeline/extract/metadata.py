"""What an HTML page declares about itself: JSON-LD, OpenGraph (`og:*`, `article:*`), Dublin Core, `<meta>` tags,
microdata (`itemprop`), `<time datetime>`, `<title>`, `<h1>`, `<html lang>`.

Read from the parsed tree before trafilatura cleans it, in one pass over the few elements that carry metadata, so
metadata costs no second parse. Declared values are kept as given, in the order of trust (JSON-LD, then `<meta>`,
then microdata and links); choosing among them (the headline, people rather than organisations, a date htmldate
finds when nothing is declared) happens in `headline`, `byline` and `html`.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from lxml.html import HtmlElement

from pipeline.extract.dates import parse_declared_time
from pipeline.extract.jsonld import read_json_ld
from pipeline.urls import stated_url

_PUBLISHED_META = (
    *("article:published_time", "og:article:published_time", "og:published_time", "article:published"),
    *("datepublished", "datecreated", "publishdate", "publish-date", "publish_date", "pubdate", "pub_date"),
    *("dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date", "dcterms.date"),
    *("citation_publication_date", "citation_date", "sailthru.date", "parsely-pub-date", "article.published"),
    *("cxenseparse:recs:publishtime", "date", "release_date", "originalpublicationdate", "article_date_original"),
)
_UPDATED_META = (
    *("article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"),
    *("dc.date.modified", "last-modified", "lastmod", "article:modified"),
)
_AUTHOR_META = (
    *("author", "article:author", "og:article:author", "dc.creator", "dcterms.creator", "citation_author"),
    *("parsely-author", "sailthru.author", "byl", "cxenseparse:author", "dc.contributor"),
    "twitter:creator:name",
)
_AUTHOR_LABELS = frozenset(
    {"written by", "author", "by", "geschrieben von", "verfasst von", "écrit par", "escrito por"}
)
_TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title", "title", "parsely-title", "headline")
_SITE_META = ("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:app:name:iphone")
_NOT_A_HEADLINE = re.compile(r"hidden|sr-only|screen-reader|visually|offscreen|logo|brand|site-?title|masthead", re.I)
_HEADING_LEVELS = 3
_PUBLISHED_PROPERTIES = frozenset({"datepublished", "datecreated"})


@dataclass(slots=True)
class PageMetadata:
    """Declared fields of one page, each as the page gives it (empty when it does not)."""

    titles: list[str] = field(default_factory=list)
    """Headline candidates, best first: JSON-LD headline, og:title, twitter:title, Dublin Core, microdata."""
    html_title: str | None = None
    """The `<title>` text, often `Headline | Site`."""
    h1: list[str] = field(default_factory=list)
    """Texts of the page's `<h1>` elements that readers see as a heading (not a hidden one, not the logo)."""
    names: list[str] = field(default_factory=list)
    """JSON-LD `name`s of the article (Wikipedia's `headline` is a description; its `name` is the heading)."""
    site_names: list[str] = field(default_factory=list)
    """og:site_name, application-name, JSON-LD publisher names."""
    publisher: str | None = None
    """The organisation that publishes the page, as it names itself: JSON-LD publisher, else og:site_name."""
    description: str | None = None
    """og:description or meta description (often the dek shown under the headline)."""
    authors: list[list[str]] = field(default_factory=list)
    """Declared author fields, one list per place that declares any, most trusted first: JSON-LD, each `<meta>`
    name in turn, microdata. A field may hold several names, a `By`, or an organisation. (`rel=author` links are
    read with the bylines the page shows.)"""
    organisations: list[str] = field(default_factory=list)
    """Declared authors the page marks as organisations (JSON-LD Organization)."""
    published_at: datetime | None = None
    """Publication time, aware, in the offset the page states (a date alone: its midnight)."""
    modified_at: datetime | None = None
    """Last modification time, aware."""
    canonical_url: str | None = None
    """`<link rel=canonical>` or og:url."""
    language: str | None = None
    """`<html lang>`, JSON-LD inLanguage, content-language or og:locale, as written."""


def read_metadata(tree: HtmlElement, zone: tzinfo) -> PageMetadata:
    """The page's declared metadata; times without a zone are read in `zone`."""
    meta = meta_tags(tree)
    json_ld = read_json_ld(tree)
    properties = _microdata(tree)
    found = PageMetadata(
        titles=_unique([json_ld.headline, *_values(meta, _TITLE_META), *properties.get("headline", [])]),
        names=_unique([json_ld.name]),
        html_title=_text(tree.find(".//title")),
        h1=[text for text in (_text(element) for element in tree.iter("h1") if not _hidden(element)) if text],
        site_names=_unique([*_values(meta, _SITE_META), json_ld.publisher]),
        publisher=json_ld.publisher or next(_values(meta, _SITE_META), None),
        description=next(_values(meta, ("og:description", "description", "twitter:description")), None),
        organisations=json_ld.organisations,
        canonical_url=stated_url(tree),
        language=tree.get("lang") or json_ld.language or next(_values(meta, ("content-language", "og:locale")), None),
    )
    meta_authors = [_names(meta.get(key, [])) for key in _AUTHOR_META] + [_labelled_author(meta)]
    places = [json_ld.people, *meta_authors, _microdata_authors(tree)]
    found.authors = [_unique(names) for names in places if names]
    published = [json_ld.published, *_values(meta, _PUBLISHED_META)]
    published += [value for key in _PUBLISHED_PROPERTIES for value in properties.get(key, [])]
    found.published_at = _first_time([*published, *_publication_times(tree)], zone)
    found.modified_at = _first_time([json_ld.modified, *_values(meta, _UPDATED_META)], zone)
    return found


def meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """`<meta>` contents (or `value`s) by lowercased name, property, itemprop or http-equiv, in page order."""
    tags: dict[str, list[str]] = defaultdict(list)
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or element.get("http-equiv")
        content = element.get("content") or element.get("value")
        if key and content and content.strip():
            tags[key.strip().lower()].append(" ".join(html.unescape(content).split()))
    return tags


def _values(meta: dict[str, list[str]], keys: Iterable[str]) -> Iterator[str]:
    for key in keys:
        yield from meta.get(key, [])


def _names(values: Iterable[str]) -> list[str]:
    """Author values that name someone: not a profile URL or a handle."""
    return [value for value in values if not value.startswith(("http://", "https://", "www.", "@", "/"))]


def _labelled_author(meta: dict[str, list[str]]) -> list[str]:
    """The `twitter:dataN` whose `twitter:labelN` says "Written by" (how many CMSs show the author in a card)."""
    for number in range(1, 5):
        labels = meta.get(f"twitter:label{number}", [])
        if labels and labels[0].casefold().strip(" :") in _AUTHOR_LABELS:
            return _names(meta.get(f"twitter:data{number}", []))
    return []


def _microdata(tree: HtmlElement) -> dict[str, list[str]]:
    """Values of `itemprop` elements other than `<meta>` (read already): headline and datePublished."""
    found: dict[str, list[str]] = defaultdict(list)
    for element in tree.xpath("//*[@itemprop][not(self::meta)]"):
        for name in (element.get("itemprop") or "").lower().split():
            if name in _PUBLISHED_PROPERTIES:
                value = element.get("datetime") or element.get("content") or _text(element)
            elif name == "headline":
                value = element.get("content") or _text(element)
            else:
                continue
            if value:
                found[name].append(value)
    return found


def _microdata_authors(tree: HtmlElement) -> list[str]:
    """Names of the `itemprop=author` elements of the first item that has any: its `itemscope`, else the block
    around the first one (a list of other stories is another item, with its own authors)."""
    scopes: dict[HtmlElement, list[str]] = defaultdict(list)
    for element in tree.xpath("//*[@itemprop][not(self::meta)]"):
        if "author" in (element.get("itemprop") or "").lower().split():
            name = _microdata_name(element)
            ancestors = list(element.iterancestors())
            scope = next((up for up in ancestors if up.get("itemscope") is not None), None)
            if name:
                scopes[scope if scope is not None else ancestors[min(1, len(ancestors) - 1)]].append(name)
    return next(iter(scopes.values()), [])


def _microdata_name(element: HtmlElement) -> str | None:
    """An `itemprop=author` element's name: its nested `itemprop=name`, else its own short text."""
    if element.get("itemscope") is not None or element.xpath(".//*[@itemprop='name']"):
        names = element.xpath(".//*[@itemprop='name']")
        return (names[0].get("content") or _text(names[0])) if names else None
    text = element.get("content") or _text(element)
    return text if text and len(text) <= 80 else None


def _publication_times(tree: HtmlElement) -> Iterator[str]:
    """`datetime` of `<time pubdate>` elements and of `<time>` elements classed as the publication time."""
    for element in tree.iter("time"):
        marks = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        value = element.get("datetime")
        if value and (element.get("pubdate") is not None or "publish" in marks or "posted" in marks):
            yield value


def _first_time(values: Iterable[str | None], zone: tzinfo) -> datetime | None:
    for value in values:
        instant = parse_declared_time(value, zone) if value else None
        if instant is not None:
            return instant
    return None


def _hidden(element: HtmlElement) -> bool:
    """A heading kept for screen readers or search engines, or the site's logo set as a heading."""
    for node in [element, *element.iterancestors()][:_HEADING_LEVELS]:
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if node.get("hidden") is not None or _NOT_A_HEADLINE.search(marks):
            return True
    return False


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(" ".join(value.split()) for value in values if value and value.strip()))


def _text(element: HtmlElement | None) -> str | None:
    if element is None:
        return None
    text = " ".join(element.text_content().split())
    return text or None
