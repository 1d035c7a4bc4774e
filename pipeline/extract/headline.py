"""The headline of an HTML page: the declared title without the site's name (`... | CBC News`) or a kicker.

The declared headline (JSON-LD `headline`, `og:title`) is preferred to `<title>`, which more often carries the site
name; a suffix or prefix segment is dropped only when it names the site (og:site_name, the publisher, the source's
name or a label of its domain), so a headline with a dash in it keeps its dash. When the page's `<h1>` is the
declared title minus a leading label (`Review: ...`, `Analysis | ...`), the `<h1>` is the headline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.extract.metadata import PageMetadata
from pipeline.sources import Source

_SEGMENT_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•:]|::|»)\s+|\s*\|\s*")
_KEY = re.compile(r"[\W_]+")
_GENERIC_DOMAIN_LABELS = frozenset({"www", "com", "co", "org", "net", "news", "uk", "in", "au", "ca", "de", "br"})


def choose_headline(metadata: PageMetadata, source: Source, url: str | None) -> str | None:
    """The page's headline without site suffix or kicker; None when the page declares no title at all."""
    declared = next(iter(metadata.titles), None) or metadata.html_title or next(iter(metadata.h1), None)
    if declared is None:
        return None
    sites = _site_keys([*metadata.site_names, source.name], [source.domain, url or ""])
    title = strip_site_name(declared, sites)
    for h1 in metadata.h1:
        if h1 != title and _key(title).endswith(_key(h1)) and len(_key(h1)) >= len(_key(title)) // 2:
            return h1  # the declared title is the h1 with a kicker in front
    return title


def strip_site_name(title: str, site_keys: frozenset[str]) -> str:
    """`title` without leading or trailing segments that name the site."""
    parts = _SEGMENT_SEPARATOR.split(title)
    separators = _SEGMENT_SEPARATOR.findall(title)
    start, end = 0, len(parts)
    while end - start > 1 and _names_site(parts[end - 1], site_keys):
        end -= 1
    while end - start > 1 and _names_site(parts[start], site_keys):
        start += 1
    if (start, end) == (0, len(parts)):
        return title.strip()
    pieces = [parts[start]]
    for index in range(start + 1, end):
        pieces += [separators[index - 1], parts[index]]
    return "".join(pieces).strip()


def _names_site(segment: str, site_keys: frozenset[str]) -> bool:
    key = _key(segment)
    if not key:
        return True
    # "CBC News Network" names the site "CBC News"; "Ascom announces a partnership" does not name "Ascom".
    short = len(segment.split()) <= 3
    return any(key == site or (short and len(site) >= 4 and key.startswith(site)) for site in site_keys)


def _site_keys(names: Iterable[str], urls: Iterable[str]) -> frozenset[str]:
    keys = {_key(name) for name in names}
    keys |= {_key(name.removeprefix("The ").removeprefix("the ")) for name in names}
    for url in urls:
        host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0]
        labels = [label for label in host.split(".") if label not in _GENERIC_DOMAIN_LABELS]
        keys |= {label for label in labels if len(label) >= 3}
    return frozenset(key for key in keys if key)


def _key(text: str) -> str:
    return _KEY.sub("", text.casefold())
