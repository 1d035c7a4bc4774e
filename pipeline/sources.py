"""Load and validate the sources file (`config/sources.toml`, or the file `WIREDESK_SOURCES` names)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import soupsieve

from pipeline.errors import ConfigError

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_REQUIRED = {"name": str, "domain": str, "timezone": str}
_OPTIONAL = {"language": str, "feeds": list, "sitemaps": list, "extract": dict}
_OPTIONAL |= {"listing_pages": list, "article_url_pattern": str, "user_agent": str}
_RULE_KEYS = {"body": str, "drop": list}


@dataclass(frozen=True, slots=True)
class ExtractRules:
    """CSS rules for one source's HTML pages, applied before trafilatura reads them."""

    body: str | None = None
    """Selector of the element that holds the story; the rest of the page is ignored when it matches."""
    drop: tuple[str, ...] = ()
    """Selectors of elements removed first (hover cards, inline promos, related-story boxes)."""


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet: who it is, where its pages live, and the time zone its pages are written in."""

    slug: str
    """Short stable identifier used in the warehouse and on the command line."""
    name: str
    """The outlet's name as readers know it; also recognised in bylines as the outlet's own staff."""
    domain: str
    """The outlet's registered domain, without `www.`."""
    timezone: ZoneInfo
    """Zone for times the pages give without one."""
    language: str | None = None
    """ISO 639-1 code of the outlet's articles, when it publishes in one language."""
    feeds: tuple[str, ...] = ()
    """RSS/Atom/JSON Feed URLs."""
    sitemaps: tuple[str, ...] = ()
    """Sitemap or sitemap-index URLs."""
    listing_pages: tuple[str, ...] = ()
    """Section or "latest" pages whose links on the source's domain are taken for article URLs."""
    article_url_pattern: re.Pattern[str] | None = None
    """What a listing page's link must match (searched in the whole URL) to be taken for an article."""
    rules: ExtractRules | None = None
    """CSS rules for the source's HTML pages, from its `[sources.SLUG.extract]` table."""
    user_agent: str | None = None
    """The User-Agent to fetch this source's pages with, in place of the one configured for all (robots.txt is
    then read for its product token); None: the configured one."""


def load_sources(path: Path) -> dict[str, Source]:
    """Read `path` and return its sources by slug; raise ConfigError naming the file and key on any fault."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the sources file: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    unknown = set(document) - {"sources"}
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key {sorted(unknown)[0]!r} (expected [sources.SLUG] tables)")
    tables = document.get("sources")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{path}: no [sources.SLUG] tables")
    return {slug: _parse_source(path, slug, table) for slug, table in tables.items()}


def _parse_source(path: Path, slug: str, table: Any) -> Source:
    where = f"{path}: sources.{slug}"
    if not _SLUG.match(slug):
        raise ConfigError(f"{where}: slug must be lowercase letters, digits and dashes")
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    for key in table:
        if key not in _REQUIRED and key not in _OPTIONAL:
            raise ConfigError(f"{where}.{key}: unknown key (known: {', '.join([*_REQUIRED, *_OPTIONAL])})")
    for key, kind in (_REQUIRED | _OPTIONAL).items():
        if key in _REQUIRED and key not in table:
            raise ConfigError(f"{where}.{key}: missing")
        if key in table and not isinstance(table[key], kind):
            raise ConfigError(f"{where}.{key}: must be a {kind.__name__}")
    if "language" in table and not _LANGUAGE.match(table["language"]):
        raise ConfigError(f"{where}.language: {table['language']!r} is not a lowercase ISO 639 code such as 'en'")
    for key in ("feeds", "sitemaps", "listing_pages"):
        for url in table.get(key, []):
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise ConfigError(f"{where}.{key}: {url!r} is not an http(s) URL")
    agent = table.get("user_agent")
    if agent is not None and not (agent.strip() and agent.isascii() and agent.isprintable()):
        raise ConfigError(f"{where}.user_agent: {agent!r} must be one line of printable ASCII")
    return Source(
        slug=slug,
        name=table["name"],
        domain=table["domain"].lower().removeprefix("www."),
        timezone=_zone(where, table["timezone"]),
        language=table.get("language"),
        feeds=tuple(table.get("feeds", [])),
        sitemaps=tuple(table.get("sitemaps", [])),
        listing_pages=tuple(table.get("listing_pages", [])),
        article_url_pattern=_pattern(where, table.get("article_url_pattern")),
        rules=_rules(f"{where}.extract", table["extract"]) if "extract" in table else None,
        user_agent=agent.strip() if agent else None,
    )


def _pattern(where: str, text: str | None) -> re.Pattern[str] | None:
    if text is None:
        return None
    try:
        return re.compile(text)
    except re.error as error:
        raise ConfigError(f"{where}.article_url_pattern: {text!r} is not a regular expression: {error}") from error


def _rules(where: str, table: dict[str, Any]) -> ExtractRules:
    for key, value in table.items():
        if key not in _RULE_KEYS:
            raise ConfigError(f"{where}.{key}: unknown key (known: {', '.join(_RULE_KEYS)})")
        if not isinstance(value, _RULE_KEYS[key]):
            raise ConfigError(f"{where}.{key}: must be a {_RULE_KEYS[key].__name__}")
    drop = table.get("drop", [])
    for selector in [table.get("body"), *drop]:
        if selector is not None:
            _check_selector(where, selector)
    return ExtractRules(body=table.get("body"), drop=tuple(drop))


def _check_selector(where: str, selector: Any) -> None:
    if not isinstance(selector, str) or not selector.strip():
        raise ConfigError(f"{where}: {selector!r} is not a CSS selector")
    try:
        soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as error:
        raise ConfigError(f"{where}: {selector!r} is not a valid CSS selector: {error}") from error


def _zone(where: str, name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"{where}.timezone: {name!r} is not an IANA time zone") from error


def source_for_url(url: str, sources: Mapping[str, Source]) -> str | None:
    """The slug of the source whose domain serves `url` (the domain itself or one of its subdomains)."""
    host = (urlsplit(url).hostname or "").lower()
    matches = [slug for slug, source in sources.items() if host == source.domain or host.endswith("." + source.domain)]
    return max(matches, key=lambda slug: len(sources[slug].domain)) if matches else None


def allowed_hosts(sources: Iterable[Source]) -> frozenset[str]:
    """The hosts the fetcher may visit: the sources' domains and their subdomains."""
    return frozenset(source.domain for source in sources)


def host_source(url: str) -> Source | None:
    """A source made for the host serving `url` (its name and domain the host, UTC), for pages of hosts no source
    in the sources file serves; None for a URL without a host."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    domain = host.removeprefix("www.")
    slug = re.sub(r"[^a-z0-9]+", "-", domain).strip("-")[:63].rstrip("-")
    if not slug:
        return None
    return Source(slug=slug, name=domain, domain=domain, timezone=ZoneInfo("UTC"))


def source_serving(url: str, sources: Mapping[str, Source]) -> Source | None:
    """The configured source serving `url`'s host, else the one made for that host (`host_source`); None for a URL
    without a host."""
    slug = source_for_url(url, sources)
    return sources[slug] if slug is not None else host_source(url)
