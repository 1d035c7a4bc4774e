"""Scraped pages: the seed page, pages rebuilt from its parts, and arbitrary text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.page import ScrapedPage
from pipeline.extract.text import parse_scraped_page
from pipeline.sources import Source

SEED = Path(__file__).parents[2] / "samples" / "peninsula-2022-01-22-us-russia-ukraine.txt"
SOURCE = Source(
    slug="peninsula",
    name="The Peninsula",
    domain="thepeninsulaqatar.com",
    timezone=ZoneInfo("Asia/Qatar"),
    language="en",
)
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.splitlines()
TITLE = "US and Russia promise to work on easing tensions over Ukraine"
ATTRIBUTION = "AFP/Reuters/ Geneva"
DATE = "Saturday، 22 January 2022 12:28 AM"
BODY = tuple(SEED_LINES[8:37])
PUBLISHED = datetime(2022, 1, 21, 21, 28, tzinfo=UTC)
# The seed's ticker is these five headlines glued together; the last three are made up to reach eight.
HEADLINES = (
    "Finance Minister meets Maltese counterpart",
    "Shura Council holds regular weekly meeting",
    "Shura Council Dy Speaker granted Medal of Leading Arab Woman for Social Responsibility",
    "SC signs deal with Associated Press to manage host country broadcast services during the FIFA World "
    "Cup Qatar 2022",
    "Eid al-Adha will be on July 9 according to astronomical calculations: QCH",
    "Qatar Airways adds flights to Almaty",
    "Amir receives phone call from Turkish President",
    "Ooredoo launches new 5G plans",
)
NO_COMMENTS = ("Add Comment", "", "There are no comments.")
THREAD = (
    "Add Comment",
    "",
    "Ahmed Khalil",
    "22 January 2022 09:15 AM",
    "Let us hope diplomacy wins over threats.",
    "",
    "Maria Santos",
    "22 January 2022 11:02 AM",
    "Good news for everyone",
)


def build_page(
    *header: str,
    body: Iterable[str] = BODY,
    footer: Iterable[str] = NO_COMMENTS,
    newline: str = "\n",
) -> str:
    """A page in the seed's layout: header blocks separated by blank lines, then the body, then the footer."""
    blocks = [block for block in header if block] + ["\n".join(body)]
    text = "\n\n".join(blocks)
    footer_text = "\n".join(footer)
    if footer_text:
        text += "\n\n" + footer_text
    return text.replace("\n", newline)


def parse(text: str) -> ScrapedPage:
    return parse_scraped_page(text, SOURCE)


def test_seed_page() -> None:
    page = parse(SEED_TEXT)
    assert page.title == TITLE
    assert page.agencies == ("AFP", "Reuters")
    assert page.authors == ()
    assert page.dateline == "Geneva"
    assert page.published_at == PUBLISHED
    assert page.body[0].startswith("Washington and Moscow’s top diplomats")
    assert page.body[-1].endswith("since the start of this month, including tanks, artillery and ammunition.")
    assert len(page.body) == 29
    assert page.body == BODY


@pytest.mark.parametrize(
    "must_not_appear", [*HEADLINES[:5], "Add Comment", "There are no comments", "AFP/Reuters", "January 2022"]
)
def test_seed_body_has_no_furniture(must_not_appear: str) -> None:
    page = parse(SEED_TEXT)
    assert all(must_not_appear not in paragraph for paragraph in page.body)
    assert page.title is not None and must_not_appear not in page.title


def test_seed_removals_are_explained() -> None:
    assert parse(SEED_TEXT).removed == (
        ("ticker", SEED_LINES[0]),
        ("attribution", ATTRIBUTION),
        ("date", DATE),
        ("footer", "Add Comment"),
        ("footer", "There are no comments."),
    )


@pytest.mark.parametrize("count", range(9))
def test_ticker_of_any_length_is_removed(count: int) -> None:
    page = parse(build_page(" ".join(HEADLINES[:count]), TITLE, ATTRIBUTION, DATE))
    assert (page.title, page.body, page.published_at) == (TITLE, BODY, PUBLISHED)
    assert [why for why, _ in page.removed].count("ticker") == (1 if count else 0)


def test_ticker_over_several_lines_is_removed() -> None:
    ticker = "\n".join([" ".join(HEADLINES[:3]), " ".join(HEADLINES[3:6]), " ".join(HEADLINES[6:])])
    page = parse(build_page(ticker, TITLE, ATTRIBUTION, DATE))
    assert (page.title, page.body) == (TITLE, BODY)
    assert [why for why, _ in page.removed].count("ticker") == 3


@pytest.mark.parametrize("footer", [(), NO_COMMENTS, THREAD], ids=["none", "no-comments", "thread"])
def test_footer_is_removed(footer: tuple[str, ...]) -> None:
    page = parse(build_page(HEADLINES[0], TITLE, ATTRIBUTION, DATE, footer=footer))
    assert (page.title, page.body, page.published_at) == (TITLE, BODY, PUBLISHED)
    assert [line for why, line in page.removed if why == "footer"] == [line for line in footer if line]


@pytest.mark.parametrize(
    "marker", ["Add a comment", "Leave a comment", "Post a comment", "Comments", "3 Comments", "Comments (2)"]
)
def test_comment_markers_open_the_footer(marker: str) -> None:
    page = parse(build_page(TITLE, ATTRIBUTION, DATE, footer=(marker, "Someone", "Nice article.")))
    assert page.body == BODY


@pytest.mark.parametrize(
    "text",
    [
        build_page(HEADLINES[0], TITLE, ATTRIBUTION, DATE, newline="\r\n"),
        "\ufeff" + build_page(HEADLINES[0], TITLE, ATTRIBUTION, DATE),
        "\ufeff" + build_page(HEADLINES[0], TITLE, ATTRIBUTION, DATE, newline="\r\n"),
        build_page(HEADLINES[0], TITLE, ATTRIBUTION, DATE, newline="\r"),
        build_page(HEADLINES[0], TITLE + "   ", ATTRIBUTION.replace("/", "\u00a0/\u00a0"), DATE + " \t"),
    ],
    ids=["crlf", "bom", "bom-crlf", "cr", "nbsp-trailing-spaces"],
)
def test_encoding_noise_is_normalized(text: str) -> None:
    page = parse(text)
    assert (page.title, page.body, page.agencies, page.dateline) == (
        TITLE,
        BODY,
        ("AFP", "Reuters"),
        "Geneva",
    )
    assert page.published_at == PUBLISHED


def test_paragraph_whitespace_is_collapsed() -> None:
    page = parse(build_page(TITLE, ATTRIBUTION, DATE, body=["  One\u00a0 short\t\tparagraph.  ", "Two."]))
    assert page.body == ("One short paragraph.", "Two.")


@pytest.mark.parametrize(
    ("header", "agencies", "published_at"),
    [
        ((HEADLINES[0], TITLE, ATTRIBUTION), ("AFP", "Reuters"), None),
        ((HEADLINES[0], TITLE, DATE), (), PUBLISHED),
        ((HEADLINES[0], TITLE, DATE, ATTRIBUTION), ("AFP", "Reuters"), PUBLISHED),
        ((HEADLINES[0], TITLE, ATTRIBUTION, "Share", DATE), ("AFP", "Reuters"), PUBLISHED),
    ],
    ids=["attribution-only", "date-only", "attribution-after-date", "share-between-anchors"],
)
def test_partial_headers(header: tuple[str, ...], agencies: tuple[str, ...], published_at: datetime | None) -> None:
    page = parse(build_page(*header))
    assert (page.title, page.body) == (TITLE, BODY)
    assert (page.agencies, page.published_at) == (agencies, published_at)
    assert ("ticker", HEADLINES[0]) in page.removed


def test_no_anchor_takes_a_headline_title_and_drops_no_ticker() -> None:
    page = parse(build_page(TITLE))
    assert (page.title, page.body, page.published_at, page.agencies) == (TITLE, BODY, None, ())
    assert not any(why == "ticker" for why, _ in page.removed)


def test_no_anchor_and_no_headline_gives_no_title() -> None:
    page = parse(build_page(footer=()))
    assert page.title is None
    assert page.body == BODY
    assert page.removed == ()


def test_no_anchor_keeps_a_would_be_ticker_in_the_body() -> None:
    page = parse(build_page(SEED_LINES[0], TITLE))
    assert page.title is None
    assert page.body == (SEED_LINES[0], TITLE, *BODY)


def test_byline_with_outlet_gives_an_author() -> None:
    page = parse(build_page(TITLE, "By Joseph Varghese / The Peninsula", DATE))
    assert (page.title, page.authors, page.agencies, page.dateline) == (TITLE, ("Joseph Varghese",), (), None)
    assert page.body == BODY


def test_furniture_in_body_is_removed() -> None:
    body = [BODY[0], "Share", BODY[1], "Subscribe to our newsletter", "Tweet", BODY[2]]
    page = parse(build_page(TITLE, ATTRIBUTION, DATE, body=body))
    assert page.body == BODY[:3]
    assert [line for why, line in page.removed if why == "furniture"] == [
        "Share",
        "Subscribe to our newsletter",
        "Tweet",
    ]


def test_comment_dates_do_not_become_anchors() -> None:
    page = parse(build_page(TITLE, body=BODY[:2], footer=THREAD))
    assert (page.title, page.body, page.published_at) == (TITLE, BODY[:2], None)


def test_empty_page() -> None:
    assert parse("") == ScrapedPage(None, (), (), (), None, None, ())


def normalized_lines(text: str) -> list[str]:
    """The input's lines as the parser may return them: no BOM, whitespace runs collapsed, no blank lines."""
    lines = (" ".join(line.replace("\ufeff", "").split()) for line in text.splitlines())
    return [line for line in lines if line]


def assert_page_is_faithful(text: str, page: ScrapedPage) -> None:
    lines = normalized_lines(text)
    remaining = iter(lines)
    for paragraph in page.body:
        assert paragraph and paragraph == paragraph.strip()
        # Consuming one iterator checks both membership and that the input order is kept.
        assert any(line == paragraph for line in remaining), paragraph
    assert (page.title is not None) + len(page.body) + len(page.removed) == len(lines)


REAL_LINES = [*SEED_LINES, *HEADLINES, *THREAD, "Share", "Tweet", "By Joseph Varghese / The Peninsula", ""]


@given(st.text())
def test_arbitrary_text_never_breaks_the_parser(text: str) -> None:
    assert_page_is_faithful(text, parse(text))


@given(
    st.lists(st.sampled_from(REAL_LINES), max_size=40),
    st.sampled_from(["\n", "\r\n", "\n\n", "\r"]),
    st.booleans(),
)
def test_recombined_real_lines_never_break_the_parser(lines: list[str], newline: str, bom: bool) -> None:
    text = ("\ufeff" if bom else "") + newline.join(lines)
    assert_page_is_faithful(text, parse(text))
