"""Parse a scraped text page laid out as ticker / title / attribution / date / body / footer (The Peninsula).

Blocks are found by *anchors*, not by position: the attribution line and the date line, looked for among
the first lines of the page. The title is the line just before the first anchor and everything above it is
the ticker of other headlines; the body runs from after the anchors to the comment section. Every non-empty
line ends up as the title, an anchor, a body paragraph, or in `removed` with the reason it was dropped, so
each extraction can be explained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pipeline.extract.attribution import Attribution, parse_attribution
from pipeline.extract.dates import parse_date_line
from pipeline.extract.page import ScrapedPage
from pipeline.sources import Source

_ANCHOR_WINDOW = 12  # ticker (a few lines) + title + attribution + date fit well inside this
_HEADLINE_MAX_WORDS = 25
_SENTENCE_END = (".", "!", "?", "…", ":", ";", ".”", ".’", '."', "?”", "!”")
_FOOTER_MARKER = re.compile(
    r"(?:add|leave|post) (?:a )?comments?|leave a reply|comments|\d+ comments?|comments \(\d+\)"
    r"|there are no comments\.?|be the first to comment\.?|no comments yet\.?",
    re.IGNORECASE,
)
_FURNITURE = frozenset(
    {
        "share",
        "share this",
        "share this article",
        "share this story",
        "share on facebook",
        "share on twitter",
        "share on whatsapp",
        "tweet",
        "print",
        "email",
        "e-mail",
        "facebook",
        "twitter",
        "whatsapp",
        "linkedin",
        "copy link",
        "subscribe",
        "subscribe to our newsletter",
        "sign up for our newsletter",
        "follow us",
        "advertisement",
        "read more",
    }
)


@dataclass(frozen=True, slots=True)
class _Anchors:
    """Where the attribution and date lines are, as indexes into the page's non-empty lines."""

    attribution: Attribution | None = None
    attribution_at: int | None = None
    published_at: datetime | None = None
    date_at: int | None = None

    @property
    def indexes(self) -> list[int]:
        return sorted(index for index in (self.attribution_at, self.date_at) if index is not None)


def parse_scraped_page(text: str, source: Source) -> ScrapedPage:
    """Parse one scraped page of the ticker/title/attribution/date/body/footer layout."""
    lines = _page_lines(text)
    footer_at = _footer_start(lines)
    anchors = _find_anchors(lines[:footer_at], source)
    removed: list[tuple[str, str]] = []
    title, body_from = _title_and_body_start(lines, anchors, footer_at, removed)
    body = _body(lines[body_from:footer_at], removed)
    removed += [("footer", line) for line in lines[footer_at:]]
    attribution = anchors.attribution
    return ScrapedPage(
        title=title,
        body=body,
        authors=attribution.authors if attribution else (),
        agencies=attribution.agencies if attribution else (),
        dateline=attribution.dateline if attribution else None,
        published_at=anchors.published_at,
        removed=tuple(removed),
    )


def _page_lines(text: str) -> list[str]:
    """The page's non-empty lines, with BOMs dropped and every run of whitespace (NBSP included) one space."""
    # str.split() with no argument splits on all Unicode whitespace, so NBSPs and tabs collapse with spaces.
    cleaned = (" ".join(line.split()) for line in text.replace("\ufeff", "").splitlines())
    return [line for line in cleaned if line]


def _is_footer_marker(line: str) -> bool:
    """True when the line opens the comment section (`Add Comment`, `There are no comments.`)."""
    return _FOOTER_MARKER.fullmatch(line) is not None


def _is_furniture(line: str) -> bool:
    """True when the line is a share/print/newsletter button label rather than text."""
    return line.casefold().rstrip(":").strip() in _FURNITURE


def _looks_like_headline(line: str) -> bool:
    """True for a line short enough and unpunctuated enough to be a headline rather than a sentence."""
    return len(line.split()) <= _HEADLINE_MAX_WORDS and not line.endswith(_SENTENCE_END)


def _footer_start(lines: list[str]) -> int:
    return next((index for index, line in enumerate(lines) if _is_footer_marker(line)), len(lines))


def _find_anchors(lines: list[str], source: Source) -> _Anchors:
    """The first anchor in the window, and the other one if it follows right after (share buttons aside)."""
    outlets = _outlet_names(source)
    for index, line in enumerate(lines[:_ANCHOR_WINDOW]):
        attribution = parse_attribution(line, outlets)
        if attribution is not None:
            date_at = _next_content(lines, index + 1)
            published = _date_at(lines, date_at, source)
            if published is None:
                return _Anchors(attribution, index)
            return _Anchors(attribution, index, published, date_at)
        published = parse_date_line(line, source.timezone)
        if published is not None:
            attribution_at = _next_content(lines, index + 1)
            attribution = _attribution_at(lines, attribution_at, outlets)
            if attribution is None:
                return _Anchors(published_at=published, date_at=index)
            return _Anchors(attribution, attribution_at, published, index)
    return _Anchors()


def _outlet_names(source: Source) -> tuple[str, ...]:
    short = source.name.removeprefix("The ")
    return (source.name, short) if short != source.name else (source.name,)


def _next_content(lines: list[str], start: int) -> int:
    """Index of the first line at or after `start` that is not share-button furniture."""
    index = start
    while index < len(lines) and _is_furniture(lines[index]):
        index += 1
    return index


def _date_at(lines: list[str], index: int, source: Source) -> datetime | None:
    return parse_date_line(lines[index], source.timezone) if index < len(lines) else None


def _attribution_at(lines: list[str], index: int, outlets: tuple[str, ...]) -> Attribution | None:
    return parse_attribution(lines[index], outlets) if index < len(lines) else None


def _title_and_body_start(
    lines: list[str], anchors: _Anchors, footer_at: int, removed: list[tuple[str, str]]
) -> tuple[str | None, int]:
    """The title and the index the body starts at; records the ticker and the anchor lines in `removed`."""
    indexes = anchors.indexes
    if not indexes:
        # Without an anchor nothing says where a ticker ends, so nothing is dropped as one.
        if footer_at > 0 and _looks_like_headline(lines[0]):
            return lines[0], 1
        return None, 0
    first, last = indexes[0], indexes[-1]
    title_at = first - 1
    while title_at >= 0 and _is_furniture(lines[title_at]):
        title_at -= 1
    removed += [("ticker", line) for line in lines[: max(title_at, 0)]]
    removed += [("furniture", line) for line in lines[title_at + 1 : first]]
    removed += [(_anchor_reason(anchors, index), lines[index]) for index in range(first, last + 1)]
    return (lines[title_at] if title_at >= 0 else None), last + 1


def _anchor_reason(anchors: _Anchors, index: int) -> str:
    if index == anchors.attribution_at:
        return "attribution"
    return "date" if index == anchors.date_at else "furniture"


def _body(lines: list[str], removed: list[tuple[str, str]]) -> tuple[str, ...]:
    body: list[str] = []
    for line in lines:
        if _is_furniture(line):
            removed.append(("furniture", line))
        else:
            body.append(line)
    return tuple(body)
