"""Who wrote an HTML page's story and where it was filed: authors (people only), agencies and the dateline.

Read from, in order: the wire dateline that opens the first paragraph (`WASHINGTON (AP) —`, `(Reuters) -`), credit
and byline lines removed from the body (`By Jane Doe | Reuters`, `AFP/Reuters/ Geneva`, `SOURCE: News agencies`),
and the declared authors (JSON-LD, `<meta name=author>`, microdata, `rel=author`); when none of these names a person,
the bylines the page shows (`bylines`). A declared author that is an agency counts as an agency; one that is the
outlet, an organisation, a desk or a role (`admin`) is dropped; a name read off the page must look like a name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from pipeline.extract.attribution import Attribution, agency_name, parse_attribution
from pipeline.extract.people import Named, is_person, read_names

# `WASHINGTON (AP) —`, `LONDON, Nov 19 (Reuters) -`, `(Reuters) -`, `Kabul (AFP) –`: the wire-copy dateline.
_PLACE_WORD = r"[A-Z][^\W\d_]*(?:['’.-][^\W\d_]*)*\.?"
_PLACE = rf"{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,4}}(?:,\s*{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,3}})?"
_WIRE_DATELINE = re.compile(
    rf"(?P<place>{_PLACE})?(?:,\s*[A-Z][a-z]{{2,8}}\.? \d{{1,2}})?\s*\((?P<agency>[^()]{{2,40}})\)\s*[-–—]+\s*"
)
_SOURCE_LINE = re.compile(r"sources?\s*:\s*(?P<names>.+)", re.IGNORECASE)
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b|&|\|)\s*", re.IGNORECASE)


def read_byline(
    body: Sequence[str],
    removed: Iterable[tuple[str, str]],
    declared: Sequence[Sequence[str]],
    outlets: Sequence[str],
    visible: Sequence[Sequence[str]] = (),
) -> Attribution:
    """Authors, agencies and dateline of one page, from its first paragraph, its credit lines, and the authors the
    page declares (`declared`) or shows (`visible`), each a list of texts from one place, most trusted first."""
    agencies: list[str] = []
    credited: list[str] = []
    dateline = None
    wire = wire_dateline(body[0]) if body else None
    if wire is not None:
        dateline, agencies = wire[0], [wire[1]]
    for reason, line in removed:
        found = _credit(reason, line, outlets)
        if found is not None:
            agencies += found.agencies
            credited += found.authors
            dateline = dateline or found.dateline
    places = [_read(texts, outlets, declared=True) for texts in declared]
    places += [_read(texts, outlets, declared=False) for texts in visible]
    for place in places[: len(declared)]:
        agencies += place.agencies
    credited = [name for name in credited if is_person(name, declared=False)]
    people = choose_people(
        [place.people for place in places[: len(declared)]],
        credited,
        [place.people for place in places[len(declared) :]],
    )
    return Attribution(tuple(dict.fromkeys(agencies)), _people(people), dateline)


def _read(texts: Sequence[str], outlets: Sequence[str], *, declared: bool) -> Named:
    found = Named()
    for text in texts:
        read_names(text, outlets, declared=declared, into=found)
    return found


def choose_people(
    declared: Sequence[Sequence[str]], credited: Sequence[str] = (), shown: Sequence[Sequence[str]] = ()
) -> list[str]:
    """The people named by the most trusted place whose names another place confirms; when no name is confirmed
    anywhere, the most trusted place that names anyone. Places rank: what the page declares (`declared`, best
    first), the story's own credit lines (`credited`), the bylines it shows (`shown`). Credit lines add their names
    to the chosen ones when they share one (`By A and B` where the page declares A). A publisher's name in
    `<meta name=author>`, another story's byline or a byline glued to its date (`Jane DoeDec. 5`) is thus passed
    over when the article's own names agree elsewhere on the page."""
    ranked = [*declared, credited, *shown]
    counts = Counter(key for names in ranked for key in {name.casefold() for name in names})
    confirmed = any(count >= 2 for count in counts.values())
    for names in ranked:
        if names and (not confirmed or any(counts[name.casefold()] >= 2 for name in names)):
            keys = {name.casefold() for name in names}
            shares = any(name.casefold() in keys for name in credited)
            return list(dict.fromkeys([*names, *(credited if shares else ())]))
    return []


def _people(authors: Iterable[str]) -> tuple[str, ...]:
    """Each person once, whatever the case it was written in; shouted names (`By MEG KINNARD`) as people write them."""
    people: dict[str, str] = {}
    for name in authors:
        name = name.title() if name.isupper() and len(name) > 3 else name
        if agency_name(name) is None:
            people.setdefault(name.casefold(), name)
    return tuple(people.values())


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
