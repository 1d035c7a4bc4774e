"""Who wrote an HTML page's story and where it was filed: authors (people only), agencies and the dateline.

Read from, in order: the wire dateline that opens the first paragraph (`WASHINGTON (AP) —`, `(Reuters) -`), credit
and byline lines removed from the body (`By Jane Doe | Reuters`, `AFP/Reuters/ Geneva`, `SOURCE: News agencies`),
and the declared authors (JSON-LD, `<meta name=author>`). A declared author that is an agency counts as an agency;
one that is an organisation, a desk or anything but a person's name is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pipeline.extract.attribution import Attribution, agency_name, looks_like_person, parse_attribution

# `WASHINGTON (AP) —`, `LONDON, Nov 19 (Reuters) -`, `(Reuters) -`, `Kabul (AFP) –`: the wire-copy dateline.
_PLACE_WORD = r"[A-Z][^\W\d_]*(?:['’.-][^\W\d_]*)*\.?"
_PLACE = rf"{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,4}}(?:,\s*{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,3}})?"
_WIRE_DATELINE = re.compile(
    rf"(?P<place>{_PLACE})?(?:,\s*[A-Z][a-z]{{2,8}}\.? \d{{1,2}})?\s*\((?P<agency>[^()]{{2,40}})\)\s*[-–—]+\s*"
)
_SOURCE_LINE = re.compile(r"sources?\s*:\s*(?P<names>.+)", re.IGNORECASE)
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b|&|\|)\s*", re.IGNORECASE)
_BY = re.compile(r"^(?:by|por|von|par|di)\s+", re.IGNORECASE)


def read_byline(
    body: Sequence[str], removed: Iterable[tuple[str, str]], declared: Sequence[str], outlets: Sequence[str]
) -> Attribution:
    """Authors, agencies and dateline of one page, from its first paragraph, credit lines and declared authors."""
    agencies: list[str] = []
    authors: list[str] = []
    dateline = None
    wire = wire_dateline(body[0]) if body else None
    if wire is not None:
        dateline, agencies = wire[0], [wire[1]]
    for reason, line in removed:
        found = _credit(reason, line, outlets)
        if found is not None:
            agencies += found.agencies
            authors += found.authors
            dateline = dateline or found.dateline
    for name in declared:
        _add_declared(name, agencies, authors, outlets)
    # Bylines often shout ("By MEG KINNARD"); the record keeps names as people write them.
    names = [name.title() if name.isupper() else name for name in authors]
    people = [name for name in dict.fromkeys(names) if agency_name(name) is None]
    return Attribution(tuple(dict.fromkeys(agencies)), tuple(people), dateline)


def wire_dateline(paragraph: str) -> tuple[str | None, str] | None:
    """(place, agency) when the paragraph opens with a wire dateline such as `GENEVA (Reuters) -`."""
    match = _WIRE_DATELINE.match(paragraph)
    if match is None:
        return None
    agency = agency_name(match["agency"])
    if agency is None:
        return None
    place = match["place"].strip() if match["place"] else None
    if place is not None:
        place = ", ".join(part.title() if part.isupper() else part for part in place.split(", "))
    return place, agency


def _credit(reason: str, line: str, outlets: Sequence[str]) -> Attribution | None:
    source = _SOURCE_LINE.fullmatch(line)
    if source is not None:
        # "SOURCE: News agencies" (Al Jazeera): a wire credit; "SOURCE: Al Jazeera News" is the outlet itself.
        names = [agency_name(name) for name in _AUTHOR_SEPARATOR.split(source["names"])]
        return Attribution(tuple(name for name in names if name), (), None)
    if reason not in ("byline", "date", "credits", "prompt"):
        return None
    return parse_attribution(line, outlets)


def _add_declared(name: str, agencies: list[str], authors: list[str], outlets: Sequence[str]) -> None:
    """One declared author field, which may hold several names, a `By`, or an agency."""
    parsed = parse_attribution(name, outlets)
    if parsed is not None:
        agencies += parsed.agencies
        authors += parsed.authors
        return
    for piece in _AUTHOR_SEPARATOR.split(_BY.sub("", name)):
        agency = agency_name(piece)
        if agency is not None:
            agencies.append(agency)
        elif looks_like_person(piece):
            authors.append(piece.strip())
