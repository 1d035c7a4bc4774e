"""What an HTML page declares about itself: JSON-LD, OpenGraph, `<meta>` tags, `<title>`, `<time>`, `<html lang>`.

Read from the parsed tree before trafilatura cleans it, in one pass over the few elements that carry metadata, so
metadata costs no second parse and none of trafilatura's date search. Declared values are kept as given; choosing
among them (the title without its site suffix, people rather than organisations) happens in `headline` and `byline`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

from pipeline.extract.dates import parse_iso_instant

_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting", "report"}
    | {"opinionnewsarticle", "backgroundnewsarticle", "scholarlyarticle", "techarticle", "webpage", "liveblogposting"}
)
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
)
_UPDATED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl")


@dataclass(slots=True)
class PageMetadata:
    """Declared fields of one page, each as the page gives it (empty when it does not)."""

    titles: list[str] = field(default_factory=list)
    """Headline candidates, best first: JSON-LD headline, og:title, twitter:title."""
    html_title: str | None = None
    """The `<title>` text, often `Headline | Site`."""
    h1: list[str] = field(default_factory=list)
    """Texts of the page's `<h1>` elements."""
    site_names: list[str] = field(default_factory=list)
    """og:site_name, application-name, JSON-LD publisher names."""
    description: str | None = None
    """og:description or meta description (often the dek shown under the headline)."""
    authors: list[str] = field(default_factory=list)
    """Declared author names, people and organisations alike (JSON-LD Person first)."""
    organisations: list[str] = field(default_factory=list)
    """Declared author names the page marks as organisations (JSON-LD Organization)."""
    published_at: datetime | None = None
    """Publication time, aware."""
    modified_at: datetime | None = None
    """Last modification time, aware."""
    canonical_url: str | None = None
    """`<link rel=canonical>` or og:url."""
    language: str | None = None
    """`<html lang>`, content-language or og:locale, as written."""


def read_metadata(tree: HtmlElement, zone: ZoneInfo) -> PageMetadata:
    """The page's declared metadata; times without a zone are read in `zone`."""
    found = PageMetadata()
    meta = _meta_tags(tree)
    for item in _json_ld_articles(tree):
        _add_json_ld(found, item, zone)
    found.titles += [meta[key] for key in ("og:title", "twitter:title") if meta.get(key)]
    found.site_names += [meta[key] for key in ("og:site_name", "application-name") if meta.get(key)]
    found.description = meta.get("og:description") or meta.get("description")
    found.authors += [meta[key] for key in _AUTHOR_META if meta.get(key) and not meta[key].startswith("http")]
    found.published_at = found.published_at or _first_time(meta, _PUBLISHED_META, zone) or _time_element(tree, zone)
    found.modified_at = found.modified_at or _first_time(meta, _UPDATED_META, zone)
    found.canonical_url = _canonical(tree) or meta.get("og:url")
    found.language = tree.get("lang") or meta.get("content-language") or meta.get("og:locale")
    found.html_title = _text(tree.find(".//title"))
    found.h1 = [text for text in (_text(element) for element in tree.iter("h1")) if text]
    return found


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """`<meta>` contents by lowercased name/property/itemprop/http-equiv; the first of each name wins."""
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or element.get("http-equiv")
        content = element.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), " ".join(content.split()))
    return tags


def _json_ld_articles(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """The article-like objects in the page's JSON-LD blocks (top level, `@graph`, or lists)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common; the other sources of metadata remain
        yield from (item for item in _json_ld_objects(data) if _is_article(item))


def _json_ld_objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_objects(item)
    elif isinstance(data, dict):
        yield data
        yield from _json_ld_objects(data.get("@graph"))


def _is_article(item: dict[str, Any]) -> bool:
    kinds = item.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(name, str) and name.lower() in _ARTICLE_TYPES for name in names)


def _add_json_ld(found: PageMetadata, item: dict[str, Any], zone: ZoneInfo) -> None:
    headline = item.get("headline") or item.get("name")
    if isinstance(headline, str) and headline.strip() and not _is_type(item, "webpage"):
        found.titles.append(" ".join(headline.split()))
    for person, is_organisation in _json_ld_people(item.get("author")):
        (found.organisations if is_organisation else found.authors).append(person)
    for publisher, _ in _json_ld_people(item.get("publisher")):
        found.site_names.append(publisher)
    found.published_at = found.published_at or _instant(item.get("datePublished"), zone)
    found.modified_at = found.modified_at or _instant(item.get("dateModified"), zone)


def _is_type(item: dict[str, Any], kind: str) -> bool:
    kinds = item.get("@type")
    return isinstance(kinds, str) and kinds.lower() == kind


def _json_ld_people(value: Any) -> Iterator[tuple[str, bool]]:
    """(name, is an organisation) for each author or publisher a JSON-LD value names."""
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, str) and entry.strip() and not entry.startswith("http"):
            yield " ".join(entry.split()), False
        elif isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"].strip():
            is_organisation = _is_type(entry, "organization") or _is_type(entry, "newsmediaorganization")
            yield " ".join(entry["name"].split()), is_organisation


def _instant(value: Any, zone: ZoneInfo) -> datetime | None:
    return parse_iso_instant(value, zone) if isinstance(value, str) else None


def _first_time(meta: dict[str, str], keys: tuple[str, ...], zone: ZoneInfo) -> datetime | None:
    for key in keys:
        instant = _instant(meta.get(key), zone)
        if instant is not None:
            return instant
    return None


def _time_element(tree: HtmlElement, zone: ZoneInfo) -> datetime | None:
    """The first visible `<time datetime=...>` that holds a full date and time."""
    for element in tree.iter("time"):
        instant = _instant(element.get("datetime"), zone)
        if instant is not None:
            return instant
    return None


def _canonical(tree: HtmlElement) -> str | None:
    for element in tree.iter("link"):
        if (element.get("rel") or "").strip().lower() == "canonical" and (element.get("href") or "").startswith("http"):
            return str(element.get("href")).strip()
    return None


def _text(element: HtmlElement | None) -> str | None:
    if element is None:
        return None
    text = " ".join(element.text_content().split())
    return text or None
