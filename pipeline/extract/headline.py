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

# ` | `, ` - `, ` : `, and the full-width `｜` and `：` or a bare `:` or `_` after Chinese or Japanese text.
_SEGMENT_SEPARATOR = re.compile(
    r"\s+(?:[|\-–—·•:]|::|»)\s+|\s*[|｜]\s*|\s*：\s*|(?<=[」』）\u3040-\u30ff\u3400-\u9fff])\s*[:_]\s*"
)
_KEY = re.compile(r"[\W_]+")
_TRAILER = re.compile(r"\s*(?:[|\-–—:：｜_·•»\[(（]|::)")
_LEADER = re.compile(r"(?:[|\-–—:：｜_·•»\]）)]|::)\s*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_LETTERS = re.compile(r"[^\W\d_]+")
_MIN_HEADLINE_WORDS = 5
_MIN_CJK_HEADLINE = 10
_GENERIC_DOMAIN_LABELS = frozenset({"www", "com", "co", "org", "net", "news", "uk", "in", "au", "ca", "de", "br"})


def choose_headline(metadata: PageMetadata, source: Source, url: str | None) -> str | None:
    """The page's headline without site suffix or kicker; None when the page declares no title at all."""
    declared = next(iter(metadata.titles), None) or metadata.html_title or next(iter(metadata.h1), None)
    if declared is None:
        return None
    sites = _site_keys([*metadata.site_names, source.name], [source.domain, url or ""])
    title = strip_site_name(declared, sites)
    shown = [h1 for h1 in dict.fromkeys(metadata.h1) if not _names_site(h1, sites)]
    written = [title, *metadata.titles, *metadata.names, metadata.html_title or ""]
    for h1 in shown:
        if any(_key(h1) == _key(text) or _opens(text, h1) for text in written):
            return h1  # the heading readers see, which the declared title repeats with a site or section after it
    for h1 in shown:
        if h1 != title and _key(title).endswith(_key(h1)) and len(_key(h1)) >= len(_key(title)) // 2:
            return h1  # the declared title is the h1 with a kicker in front
        if len(h1.split()) >= 2 and _closes(title, h1):
            return h1  # `Artist – Song`, `Section: Headline`
    if len(shown) == 1 and _is_headline_sized(shown[0]) and _shares_a_word(shown[0], written):
        # One heading on the page, a headline's size, on the declared title's subject: the headline as published,
        # where the declared title is the one written for search engines and social cards.
        return shown[0]
    return title


def _opens(text: str, h1: str) -> bool:
    """True when `text` is `h1` followed by a separator and something shorter (`Headline | Site`, `見出し：サイト`);
    `Blog Name: The Post` opens with the site instead."""
    rest = text[len(h1) :]
    if not text.startswith(h1) or not rest or len(rest) > len(h1):
        return False
    return _TRAILER.match(rest) is not None


def _closes(text: str, h1: str) -> bool:
    """True when `text` is something, a separator, then `h1`."""
    head = text[: len(text) - len(h1)]
    return text.endswith(h1) and bool(head) and _LEADER.search(head) is not None


def _shares_a_word(heading: str, texts: list[str]) -> bool:
    """True when `heading` and one of `texts` share a word (its first five letters) or, in Chinese or Japanese, two
    characters in a row."""
    words = _stems(heading)
    return any(words & _stems(text) for text in texts)


def _stems(text: str) -> set[str]:
    folded = text.casefold()
    stems = {word[:5] for word in _LETTERS.findall(folded) if len(word) >= 4}
    characters = "".join(_CJK.findall(folded))
    return stems | {characters[index : index + 2] for index in range(len(characters) - 1)}


def _is_headline_sized(text: str) -> bool:
    if _CJK.search(text):
        return len(text) >= _MIN_CJK_HEADLINE
    return len(text.split()) >= _MIN_HEADLINE_WORDS


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
