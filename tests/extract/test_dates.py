"""Publication-date lines: the instant they name, kept in the offset the page gives, and lines that are not date
lines; times declared in markup."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from pipeline.extract.dates import parse_date_line, parse_declared_time

DOHA = ZoneInfo("Asia/Qatar")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


SEED_INSTANT = utc(2022, 1, 21, 21, 28)


@pytest.mark.parametrize(
    ("line", "zone", "expected"),
    [
        ("Saturday، 22 January 2022 12:28 AM", DOHA, SEED_INSTANT),
        ("Saturday, 22 January 2022 12:28 AM", DOHA, SEED_INSTANT),
        ("Saturday 22 January 2022 12:28 AM", DOHA, SEED_INSTANT),
        ("Sat, 22 Jan 2022 00:28", DOHA, SEED_INSTANT),
        ("22 January 2022 12:28 AM", DOHA, SEED_INSTANT),
        ("22 Jan 2022 - 12:28", DOHA, utc(2022, 1, 22, 9, 28)),
        ("January 22, 2022 12:28 AM", DOHA, SEED_INSTANT),
        ("Jan 22, 2022, 12:28 am", DOHA, SEED_INSTANT),
        ("22 January 2022 | 00:28", DOHA, SEED_INSTANT),
        ("2022-01-22 00:28", DOHA, SEED_INSTANT),
        ("2022-01-22T00:28:00+03:00", LONDON, SEED_INSTANT),
        ("2022-01-21T21:28:00Z", DOHA, SEED_INSTANT),
        ("2022-01-21T21:28:00.250Z", DOHA, SEED_INSTANT),
        ("Published: 22 January 2022 12:28 a.m.", DOHA, SEED_INSTANT),
        ("Published on January 22nd, 2022 at 12:28 p.m.", DOHA, utc(2022, 1, 22, 9, 28)),
        ("Last updated: Sat 22 Jan. 2022 00:28:45", DOHA, utc(2022, 1, 21, 21, 28, 45)),
        ("Updated: 22 January 2022 12:28 PM", DOHA, utc(2022, 1, 22, 9, 28)),
        ("Posted on 22 January 2022 00:28", DOHA, SEED_INSTANT),
        ("Posted: 22 January 2022 00:28", DOHA, SEED_INSTANT),
        # Explicit zones override the source's zone.
        ("22 January 2022 12:28 AM GMT", DOHA, utc(2022, 1, 22, 0, 28)),
        ("22 January 2022 00:28 UTC", DOHA, utc(2022, 1, 22, 0, 28)),
        ("22 January 2022 00:28 +03:00", NEW_YORK, SEED_INSTANT),
        ("22 January 2022 00:28 +0300", NEW_YORK, SEED_INSTANT),
        ("22 January 2022 00:28 GMT+3", NEW_YORK, SEED_INSTANT),
        ("22 January 2022 05:58 UTC+05:30", DOHA, utc(2022, 1, 22, 0, 28)),
        ("22 January 2022 00:28 -05:00", DOHA, utc(2022, 1, 22, 5, 28)),
        # Daylight saving: the same wall-clock time is a different UTC instant in winter and summer.
        ("1 January 2022 12:00", LONDON, utc(2022, 1, 1, 12, 0)),
        ("1 July 2022 12:00", LONDON, utc(2022, 7, 1, 11, 0)),
        ("July 1, 2022 12:00 PM", NEW_YORK, utc(2022, 7, 1, 16, 0)),
        # Arabic-Indic and Persian digits, NBSPs.
        ("٢٢ January ٢٠٢٢ ١٢:٢٨ AM", DOHA, SEED_INSTANT),
        ("۲۲ January ۲۰۲۲ ۰۰:۲۸", DOHA, SEED_INSTANT),
        ("Saturday،\u00a022\u00a0January\u00a02022\u00a012:28\u00a0AM", DOHA, SEED_INSTANT),
        ("  saturday، 22 JANUARY 2022 12:28 am  ", DOHA, SEED_INSTANT),
        ("12 March 2022 12:00 AM", DOHA, utc(2022, 3, 11, 21, 0)),
        ("29 February 2024 23:59:59", DOHA, utc(2024, 2, 29, 20, 59, 59)),
    ],
)
def test_date_line_gives_its_instant(line: str, zone: ZoneInfo, expected: datetime) -> None:
    assert parse_date_line(line, zone) == expected


@pytest.mark.parametrize(
    "line",
    [
        "22 January 2022",
        "Saturday، 22 January 2022",
        "12:28 AM",
        "01/02/2022 12:00",
        "22/01/2022 12:00",
        "31 February 2022 12:00",
        "29 February 2022 12:00",
        "22 January 2022 13:61",
        "22 January 2022 24:00",
        "22 January 2022 13:00 PM",
        "22 January 2022 0:30 AM",
        "22 January 2022 12:28 +25:00",
        "22 January 2022 12:28 AST",
        "Blinken and Lavrov met on 22 January 2022 12:28 AM",
        "22 January 2022 12:28 AM in Geneva",
        "2022-13-01 10:00",
        "Smarch 22, 2022 10:00",
        "",
        "Add Comment",
    ],
)
def test_non_date_line_is_none(line: str) -> None:
    assert parse_date_line(line, DOHA) is None


@pytest.mark.parametrize(
    ("line", "zone", "written"),
    [
        # The outlet's own wall clock and offset: an analyst can ask for "published on the outlet's Saturday".
        ("Saturday، 22 January 2022 12:28 AM", DOHA, "2022-01-22T00:28:00+03:00"),
        ("1 July 2022 12:00", LONDON, "2022-07-01T12:00:00+01:00"),
        ("22 January 2022 05:58 UTC+05:30", DOHA, "2022-01-22T05:58:00+05:30"),
        ("2022-01-21T21:28:00Z", DOHA, "2022-01-21T21:28:00+00:00"),
    ],
)
def test_result_keeps_the_offset_the_page_gives(line: str, zone: ZoneInfo, written: str) -> None:
    parsed = parse_date_line(line, zone)
    assert parsed is not None and parsed.isoformat() == written


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("2019-11-19T08:57:40+01:00", "2019-11-19T08:57:40+01:00"),
        ("2019-11-19T08:57:40.123Z", "2019-11-19T08:57:40.123000+00:00"),
        ("2019-11-19T08:57:40+0100", "2019-11-19T08:57:40+01:00"),
        ("2019-11-19 08:57", "2019-11-19T08:57:00+03:00"),
        ("2019-11-19", "2019-11-19T00:00:00+03:00"),
        ("2019-11-19T08:57:40-05:00 (updated)", "2019-11-19T08:57:40-05:00"),
        ("2019/11/19", "2019-11-19T00:00:00+03:00"),
        ("20191119", "2019-11-19T00:00:00+03:00"),
        ("Tue, 19 Nov 2019 08:57:40 +0100", "2019-11-19T08:57:40+01:00"),
        ("Tue, 13 Dec 2016 22:33:06 GMT", "2016-12-13T22:33:06+00:00"),
    ],
)
def test_declared_time_keeps_its_offset(value: str, written: str) -> None:
    parsed = parse_declared_time(value, DOHA)
    assert parsed is not None and parsed.isoformat() == written


@pytest.mark.parametrize(
    "value", ["", "yesterday", "2019-13-45", "2019-11-19T25:00", "201911190857", "19/11/2019", "2019-11-19T08:57+25:00"]
)
def test_declared_time_that_is_not_one_is_none(value: str) -> None:
    assert parse_declared_time(value, DOHA) is None
