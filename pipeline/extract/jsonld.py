"""What a page's JSON-LD says about its story: the article object among all the objects, and its headline, people,
publisher, dates and language.

JSON-LD comes in every shape: one object, a list, an `@graph`, objects nested in others (`mainEntity`), `@type` a
string or a list, authors as strings, Person or Organization objects, lists of them, or `@id` references into the
graph, names with HTML entities left in (`&#8217;`). The article is the object of a news-article type if there is one,
else of another article type, else a web page; among equals, the one nearest the top of its block, first in the page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

# Lower is better: what kind of object describes the story itself.
_NEWS_TYPES = frozenset(
    {"newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle"}
    | {"reviewnewsarticle", "askpublicnewsarticle", "liveblogposting"}
)
_ARTICLE_TYPES = frozenset(
    {"article", "blogposting", "report", "scholarlyarticle", "techarticle", "socialmediaposting", "posting"}
    | {"satiricalarticle", "advertisercontentarticle", "medicalscholarlyarticle", "discussionforumposting", "review"}
    | {"creativework", "videoobject", "recipe", "howto"}
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "profilepage", "qapage", "collectionpage"})
_ORGANISATION_TYPES = frozenset(
    {"organization", "newsmediaorganization", "corporation", "educationalorganization", "governmentorganization"}
    | {"localbusiness", "ngo", "onlinebusiness", "brand", "website"}
)
_COMMENTS = re.compile(r"<!--|-->|//\s*<!\[CDATA\[|//\s*\]\]>|<!\[CDATA\[|\]\]>")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_MAX_DEPTH = 12


@dataclass(slots=True)
class JsonLdArticle:
    """The fields the page's JSON-LD article object gives, entities unescaped; empty when it gives none."""

    headline: str | None = None
    """`headline`, else `name` of an article (a web page's `name` is usually its `<title>`: not taken)."""
    name: str | None = None
    """The article's `name`, when it has a `headline` too (Wikipedia: `name` is the heading)."""
    people: list[str] = field(default_factory=list)
    """Authors (else creators) that are people or plain names, in order."""
    organisations: list[str] = field(default_factory=list)
    """Authors that are organisations (`@type` Organization, NewsMediaOrganization...)."""
    publisher: str | None = None
    """The publishing organisation's name."""
    published: str | None = None
    """`datePublished` (else `dateCreated`) as written."""
    modified: str | None = None
    """`dateModified` as written."""
    language: str | None = None
    """`inLanguage` as written."""


def read_json_ld(tree: HtmlElement) -> JsonLdArticle:
    """The page's JSON-LD article, read from every `application/ld+json` block; empty when there is none."""
    objects = list(_objects(tree))
    ids = {item["@id"]: item for item, _ in objects if isinstance(item.get("@id"), str) and len(item) > 1}
    ranked = sorted(
        ((rank, depth, number, item) for number, (item, depth) in enumerate(objects) if (rank := _rank(item)) < 3),
        key=lambda entry: entry[:3],
    )
    found = JsonLdArticle()
    for rank, _, _, item in ranked:
        _fill(found, item, ids, is_page=rank == 2)
    return found


def _objects(tree: HtmlElement) -> Iterator[tuple[dict[str, Any], int]]:
    """Every JSON-LD object of the page with its nesting depth, in document order."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        data = _load(script.text)
        if data is not None:
            yield from _walk(data, 0)


def _load(text: str) -> Any:
    """The block's JSON; broken JSON-LD is common (HTML comments, CDATA, trailing commas), None when beyond repair."""
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", _COMMENTS.sub("", text)).strip().rstrip(";")):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _walk(data: Any, depth: int) -> Iterator[tuple[dict[str, Any], int]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth)
    elif isinstance(data, dict):
        yield data, depth
        for key, value in data.items():
            # Authors and publishers are read from their article; walking into them would find no story.
            if key not in ("author", "creator", "publisher") and isinstance(value, dict | list):
                yield from _walk(value, depth + (key != "@graph"))


def _types(item: dict[str, Any]) -> set[str]:
    kinds = item.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    return {name.rsplit("/", 1)[-1].lower() for name in names if isinstance(name, str)}


def _rank(item: dict[str, Any]) -> int:
    """0 news article, 1 other article, 2 web page, 3 anything else."""
    kinds = _types(item)
    if kinds & _NEWS_TYPES:
        return 0
    if kinds & _ARTICLE_TYPES or any(kind.endswith("article") for kind in kinds):
        return 1
    return 2 if kinds & _PAGE_TYPES else 3


def _fill(found: JsonLdArticle, item: dict[str, Any], ids: dict[str, dict[str, Any]], *, is_page: bool) -> None:
    """Fill the fields still empty from one object, best objects first."""
    if found.headline is None:
        found.headline = _text(item.get("headline")) or (None if is_page else _text(item.get("name")))
        found.name = None if is_page else _text(item.get("name"))
    if not found.people and not found.organisations:
        for name, is_organisation in people(item.get("author") or item.get("creator"), ids):
            (found.organisations if is_organisation else found.people).append(name)
    if found.publisher is None:
        found.publisher = next((name for name, _ in people(item.get("publisher"), ids)), None)
    found.published = found.published or _text(item.get("datePublished")) or _text(item.get("dateCreated"))
    found.modified = found.modified or _text(item.get("dateModified"))
    language = item.get("inLanguage")
    found.language = found.language or _text(language.get("name") if isinstance(language, dict) else language)


def people(value: Any, ids: dict[str, dict[str, Any]]) -> Iterator[tuple[str, bool]]:
    """(name, is an organisation) for each author or publisher a JSON-LD value names."""
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict) and set(entry) <= {"@id", "@type"} and isinstance(entry.get("@id"), str):
            entry = ids.get(entry["@id"], entry)
        if isinstance(entry, str):
            name = _text(entry)
            if name and not name.startswith(("http://", "https://", "/", "#")):
                yield name, False
        elif isinstance(entry, dict):
            name = _person_name(entry)
            if name:
                yield name, bool(_types(entry) & _ORGANISATION_TYPES)


def _person_name(entry: dict[str, Any]) -> str | None:
    name = entry.get("name")
    if isinstance(name, list):
        name = next((part for part in name if isinstance(part, str)), None)
    if isinstance(name, dict):
        name = name.get("@value")
    text = _text(name)
    if text:
        return text
    parts = [_text(entry.get(key)) for key in ("givenName", "familyName")]
    return " ".join(part for part in parts if part) or None


def _text(value: Any) -> str | None:
    """A string value with its HTML entities decoded (twice: `&amp;#8217;` is common) and spaces collapsed."""
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(html.unescape(value)).split())
    return text or None
