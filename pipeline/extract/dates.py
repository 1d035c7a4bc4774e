"""Parse a page's publication-date line (`Saturday، 22 January 2022 12:28 AM`) into an aware datetime, in the offset
the line states or else the outlet's zone (so the outlet's own calendar day is kept); and the times pages declare in
their markup (`parse_declared_time`).

Accepted, as a whole line, case-insensitive::

    [prefix] [weekday [","]] date [separator] time [meridiem] [zone]

    prefix    Published: | Published on | Last updated: | Updated: | Posted on | Posted:
    date      22 January 2022 | 22 Jan. 2022 | January 22, 2022 | Jan 22nd 2022 | 2022-01-22
    separator "," "-" "–" "|" "@" "at" or spaces; "T" after an ISO date
    time      12:28 | 00:28:05 | 12.28; with AM/PM or a.m./p.m. for a 12-hour clock
    zone      Z | UTC | GMT | +03:00 | +0300 | GMT+3 | UTC-05:30

A date without a time, a numeric date whose day and month could be swapped (`01/02/2022`), an impossible
date or time, or a line with any other words is not a date line. Hand-written regexes rather than
dateutil/dateparser keep this strict (they guess) and fast (it runs on the first lines of every page).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

from htmldate import find_date
from lxml.html import HtmlElement

_NORMALIZE = str.maketrans(
    {
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # Extended Arabic-Indic (Persian, Urdu)
        # The Peninsula writes the weekday with an Arabic comma: "Saturday، 22 January 2022".
        "\u060c": ",",
        "\ufeff": "",
    }
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}

_PREFIX = r"(?:(?:published|last\s+updated|updated|posted)(?:\s+on)?\s*:?\s*)?"
_WEEKDAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.?\s*,?\s*)?"
)
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_SEPARATOR = r"(?:\s*(?:,|-|–|—|\||@|at\b)\s*|\s+)"
_TIME = (
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d{1,9})?)?"
    r"(?:\s*(?P<meridiem>[ap])\.?\s?m\b\.?)?"
)
_ZONE = r"(?:\s*(?P<zone>z|utc|gmt|(?:(?:utc|gmt)\s*)?(?P<sign>[+-])(?P<zh>\d{1,2})(?::?(?P<zm>\d{2}))?))?"
_TAIL = _TIME + _ZONE


def _compile(date: str, separator: str = _SEPARATOR) -> re.Pattern[str]:
    return re.compile(_PREFIX + _WEEKDAY + date + separator + _TAIL, re.IGNORECASE)


_PATTERNS = (
    _compile(_DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR),
    _compile(_MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR),
    _compile(_YEAR + r"-(?P<month_number>\d{2})-(?P<day>\d{2})", r"(?:T|" + _SEPARATOR + ")"),
)
_MAX_OFFSET = timedelta(hours=14)


def parse_date_line(line: str, zone: tzinfo) -> datetime | None:
    """Aware datetime, in the zone the line states or else `zone`, when the whole line is a publication date with a
    time; None otherwise."""
    text = " ".join(line.translate(_NORMALIZE).split())
    if not text or len(text) > 80:
        return None
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            return _instant(match, zone)
    return None


def _instant(match: re.Match[str], default_zone: tzinfo) -> datetime | None:
    month = _month(match)
    hour = _hour_24(int(match["hour"]), match["meridiem"])
    zone = _zone(match, default_zone)
    if hour is None or zone is None:
        return None
    try:
        local = datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            hour,
            int(match["minute"]),
            int(match["second"] or 0),
            tzinfo=zone,
        )
        local.utcoffset()  # a zone's rules can fail on the far past or future
        return local
    except (ValueError, OverflowError):  # 31 February, minute 61, or a year datetime cannot hold
        return None


def _month(match: re.Match[str]) -> int:
    if match.re is _PATTERNS[2]:
        return int(match["month_number"])
    return _MONTHS[match["month"][:3].casefold()]


def _hour_24(hour: int, meridiem: str | None) -> int | None:
    """Hour on a 24-hour clock; None for `13:00 PM` or `0:30 AM`, which no clock shows."""
    if meridiem is None:
        return hour if hour <= 23 else None
    if not 1 <= hour <= 12:
        return None
    return hour % 12 + (12 if meridiem.casefold() == "p" else 0)


def _zone(match: re.Match[str], default_zone: tzinfo) -> tzinfo | None:
    """The zone the line states, else `default_zone`; None for an offset no place uses (`+25:00`)."""
    if match["zone"] is None:
        return default_zone
    if match["sign"] is None:
        return UTC
    minutes = int(match["zm"] or 0)
    offset = timedelta(hours=int(match["zh"]), minutes=minutes)
    if minutes >= 60 or offset > _MAX_OFFSET:
        return None
    return timezone(-offset if match["sign"] == "-" else offset)


_ISO_TIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
_SLASHED_DATE = re.compile(r"(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})")
_COMPACT_DATE = re.compile(r"(?P<year>(?:19|20)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)")


def parse_declared_time(value: str, zone: tzinfo) -> datetime | None:
    """The time a page declares in its markup (JSON-LD, `<meta>`, `<time datetime>`), aware and in the offset the
    page states; a time without one is read in `zone`, a date without a time is its midnight there.

    Accepted: ISO 8601 (`2019-11-19T08:57:40+01:00`, `2019-11-19 08:57`, `2019-11-19`), `2019/11/19`,
    `20191119`, and RFC 2822 (`Tue, 19 Nov 2019 08:57:40 +0100`). None for anything else.
    """
    text = value.strip()
    if not text or len(text) > 64:
        return None
    match = _ISO_TIME.fullmatch(text) or _ISO_TIME.match(text)
    if match is not None and (match.end() == len(text) or not text[match.end()].isdigit()):
        return _declared(match, zone)
    match = _SLASHED_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is not None:
        return _declared(match, zone)
    return _rfc_2822(text, zone)


def _declared(match: re.Match[str], zone: tzinfo) -> datetime | None:
    time = (match.groupdict().get("time") or "00:00").replace(",", ".")
    hour, minute, second = [*time.split(":"), "0"][:3]
    seconds, _, fraction = second.partition(".")
    written = (match.groupdict().get("zone") or "").upper()
    stated = _stated_zone(written)
    if written and stated is None:
        return None  # an offset no place uses (`+25:00`)
    try:
        moment = datetime(
            int(match["year"]), int(match["month"]), int(match["day"]), int(hour), int(minute), int(seconds),
            int((fraction + "000000")[:6]), tzinfo=stated or zone,
        )  # fmt: skip
        moment.utcoffset()  # a zone's rules can fail on the far past or future
    except (ValueError, OverflowError):
        return None
    return moment


def _stated_zone(text: str) -> tzinfo | None:
    if not text:
        return None
    if text in ("Z", "UTC", "GMT"):
        return UTC
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    if offset > _MAX_OFFSET:
        return None
    return timezone(-offset if text[0] == "-" else offset)


def _rfc_2822(text: str, zone: tzinfo) -> datetime | None:
    if not _RFC_2822.match(text):
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


_RFC_2822 = re.compile(r"(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")


def find_publication_day(tree: HtmlElement, url: str | None, zone: tzinfo, markup: str = "") -> datetime | None:
    """The publication day htmldate finds in the page (URL, markup, then text), for pages that declare no date in
    their markup: at the first time the page writes on that day (`<time datetime>`, an ISO time in a script, a
    date line shown to readers), else at its midnight in `zone`. None when htmldate finds no day."""
    try:
        day = find_date(tree, extensive_search=True, original_date=True, url=url)
    except (ValueError, TypeError, OverflowError):  # htmldate's own parsing of odd markup
        return None
    found = parse_declared_time(day, zone) if day else None
    if found is None:
        return None
    return _time_on_day(found, tree, markup, zone) or found


def _time_on_day(day: datetime, tree: HtmlElement, markup: str, zone: tzinfo) -> datetime | None:
    for number, match in enumerate(_WRITTEN_TIME.finditer(markup)):
        if number >= _MAX_WRITTEN_TIMES:
            break
        written = parse_declared_time(match.group(), zone)
        if written is not None and written.date() == day.date():
            return written
    for text in tree.xpath("//body//text()[string-length(normalize-space()) > 9][string-length() < 90]"):
        written = parse_date_line(str(text), zone) if _DIGIT_PAIR.search(text) else None
        if written is not None and written.date() == day.date():
            return written
    return None


_WRITTEN_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?")
_DIGIT_PAIR = re.compile(r"\d:\d\d")
_OFFSET_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?[+-]\d{2}:?\d{2}")
_MAX_WRITTEN_TIMES = 400


def in_local_offset(instant: datetime, markup: str) -> datetime:
    """`instant` in the outlet's own offset when the page states it in UTC (`...Z`, as CMSs normalise) and writes
    the same instant elsewhere with a local offset (`2023-11-08T22:28:35-05:00` in a script); else unchanged."""
    if instant.utcoffset() != timedelta(0):
        return instant
    for number, match in enumerate(_OFFSET_TIME.finditer(markup)):
        if number >= _MAX_WRITTEN_TIMES:
            break
        written = parse_declared_time(match.group(), UTC)
        offset = written.utcoffset() if written is not None else None
        if written is not None and offset and written == instant:
            return written
    return instant
