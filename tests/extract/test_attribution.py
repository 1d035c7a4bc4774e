"""Attribution lines: agencies, authors and dateline, and lines that are not attributions at all."""

from __future__ import annotations

import pytest

from pipeline.extract.attribution import Attribution, parse_attribution

PENINSULA = ("The Peninsula", "Peninsula")


@pytest.mark.parametrize(
    ("line", "agencies", "authors", "dateline"),
    [
        ("AFP/Reuters/ Geneva", ("AFP", "Reuters"), (), "Geneva"),
        ("Reuters", ("Reuters",), (), None),
        ("QNA", ("QNA",), (), None),
        ("AP", ("AP",), (), None),
        ("dpa", ("dpa",), (), None),
        ("QNA / Doha", ("QNA",), (), "Doha"),
        ("Doha: QNA", ("QNA",), (), "Doha"),
        ("(AFP)", ("AFP",), (), None),
        ("GENEVA (Reuters)", ("Reuters",), (), "GENEVA"),
        ("By John Smith | AFP", ("AFP",), ("John Smith",), None),
        ("By Staff Reporter", (), (), None),
        ("The Peninsula", (), (), None),
        ("PENINSULA", (), (), None),
        ("The Peninsula Staff", (), (), None),
        ("Joseph Varghese / The Peninsula", (), ("Joseph Varghese",), None),
        ("By Joseph Varghese / The Peninsula", (), ("Joseph Varghese",), None),
        ("AFP / Sanaullah Ataie / Kabul", ("AFP",), ("Sanaullah Ataie",), "Kabul"),
        ("AFP, Reuters", ("AFP", "Reuters"), (), None),
        ("AFP and Reuters / Washington, D.C.", ("AFP", "Reuters"), (), "Washington, D.C."),
        ("Reuters, Washington, DC", ("Reuters",), (), "Washington, DC"),
        ("Agence France-Presse", ("AFP",), (), None),
        ("Associated Press – New York", ("AP",), (), "New York"),
        ("Thomson Reuters | London", ("Reuters",), (), "London"),
        ("Deutsche Presse-Agentur - Berlin", ("dpa",), (), "Berlin"),
        ("Qatar News Agency", ("QNA",), (), None),
        ("Agencies", ("Agencies",), (), None),
        ("Wire services / Beirut", ("Agencies",), (), "Beirut"),
        ("By Reuters", ("Reuters",), (), None),
        ("By AFP and AP", ("AFP", "AP"), (), None),
        ("By Ahmed al-Thani and Jane Doe, AFP", ("AFP",), ("Ahmed al-Thani", "Jane Doe"), None),
        ("By Mohammed bin Salman / Agencies", ("Agencies",), ("Mohammed bin Salman",), None),
        ("By John Smith, Doha", (), ("John Smith",), "Doha"),
        ("Web Desk", (), (), None),
        ("By Online Desk | Doha", (), (), "Doha"),
        ("Source: Reuters", ("Reuters",), (), None),
        ("AA / Ankara", ("Anadolu",), (), "Ankara"),
        ("Xinhua | Beijing", ("Xinhua",), (), "Beijing"),
        ("AFP\u00a0/\u00a0Paris", ("AFP",), (), "Paris"),
        ("AFP / AFP / Paris", ("AFP",), (), "Paris"),
        ("WAM — Abu Dhabi", ("WAM",), (), "Abu Dhabi"),
    ],
)
def test_attribution_line_is_parsed(
    line: str, agencies: tuple[str, ...], authors: tuple[str, ...], dateline: str | None
) -> None:
    assert parse_attribution(line, PENINSULA) == Attribution(agencies, authors, dateline)


@pytest.mark.parametrize(
    "line",
    [
        "Blinken said he asked Lavrov to prove Russia has no intention to invade.",
        "US and Russia promise to work on easing tensions over Ukraine",
        "SC signs deal with Associated Press to manage host country broadcast services",
        "Geneva",
        "Washington, DC",
        "Reuters reported the talks ended without a deal",
        "AFP.",
        "By 2030 Qatar aims to halve emissions",
        "By the numbers: Qatar's World Cup",
        "Photo: AFP",
        "Saturday، 22 January 2022 12:28 AM",
        "",
        "   ",
        "AFP Reuters AP QNA dpa ANI PTI Xinhua WAM SPA KUNA Anadolu IANS",
        "Headline for https://gulf-times.com/afp",
        "Oil prices rise / Reuters poll shows",
        "Weekly review: markets / AFP / 10 things to know",
    ],
)
def test_non_attribution_line_is_none(line: str) -> None:
    assert parse_attribution(line, PENINSULA) is None


def test_outlet_names_are_only_outlets_when_given() -> None:
    assert parse_attribution("Gulf Times") is None
    assert parse_attribution("Gulf Times", ("Gulf Times",)) == Attribution((), (), None)


def test_single_plain_segment_never_becomes_a_dateline() -> None:
    assert parse_attribution("Kabul / Herat") is None
