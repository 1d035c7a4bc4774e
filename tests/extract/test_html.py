"""HTML pages: headline, byline, agencies and dateline, dates and zones, and inputs that must never crash."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import RejectedInput
from pipeline.extract.document import extract_article
from pipeline.extract.html import parse_html_page
from pipeline.record import Article, RawDocument
from pipeline.sources import ExtractRules, Source
from tests.wire import STORIES

GULF = Source("gulf-times", "Gulf Times", "gulf-times.com", ZoneInfo("Asia/Qatar"), "en")
STORY = STORIES[0][:6]
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def html_page(*, head: str = "", before: str = "", paragraphs: list[str] | None = None, after: str = "") -> str:
    """A page with the given head, lines before and after the story, and the story's paragraphs."""
    body = "".join(f"<p>{text}</p>" for text in (paragraphs if paragraphs is not None else STORY))
    return f"<html><head>{head}</head><body><article>{before}{body}{after}</article></body></html>"


def document(payload: bytes, url: str | None = "https://gulf-times.com/story/1") -> RawDocument:
    return RawDocument("gulf-times", "test", payload, "text/html", FETCHED, url=url)


def extract(html: str | bytes) -> Article:
    return extract_article(document(html if isinstance(html, bytes) else html.encode()), GULF)


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("<title>Summit ends in Geneva | Gulf Times</title>", "Summit ends in Geneva"),
        ("<title>Gulf Times - Summit ends in Geneva</title>", "Summit ends in Geneva"),
        ('<meta property="og:title" content="Summit ends - talks go on"><title>x</title>', "Summit ends - talks go on"),
        (
            '<meta property="og:site_name" content="CBC News"><title>Summit ends | CBC News</title>',
            "Summit ends",
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Summit ends"}</script>'
            "<title>Summit ends | World | Gulf Times</title>",
            "Summit ends",
        ),
    ],
)
def test_title_loses_the_site_name(head: str, title: str) -> None:
    assert extract(html_page(head=head)).title == title


def test_title_loses_a_kicker_the_h1_does_not_have() -> None:
    page = html_page(head='<meta property="og:title" content="Analysis: Summit ends">').replace(
        "<article>", "<article><h1>Summit ends</h1>"
    )
    assert extract(page).title == "Summit ends"


@pytest.mark.parametrize(
    ("before", "first", "authors", "agencies", "dateline"),
    [
        ("", "GENEVA (AP) — " + STORY[0], (), ("AP",), "Geneva"),
        ("", "WASHINGTON (AP) -- " + STORY[0], (), ("AP",), "Washington"),
        ("", "(Reuters) - " + STORY[0], (), ("Reuters",), None),
        ("", "LONDON, Nov 19 (Reuters) - " + STORY[0], (), ("Reuters",), "London"),
        ("<p>AFP/Reuters/ Geneva</p>", STORY[0], (), ("AFP", "Reuters"), "Geneva"),
        ("<p>By Jane Doe | Reuters</p>", STORY[0], ("Jane Doe",), ("Reuters",), None),
        (
            "<p>By JOHN SMITH and MARY JONES, Associated Press</p>",
            STORY[0],
            ("John Smith", "Mary Jones"),
            ("AP",),
            None,
        ),
    ],
)
def test_agencies_authors_and_dateline(
    before: str, first: str, authors: tuple[str, ...], agencies: tuple[str, ...], dateline: str | None
) -> None:
    article = extract(html_page(before=before, paragraphs=[first, *STORY[1:]]))
    assert (article.authors, article.agencies, article.dateline) == (authors, agencies, dateline)
    assert article.body[0] == first  # the wire dateline is part of the lede; a credit line is not story text
    assert all("Reuters" not in line or line == first for line in article.body[1:])


@pytest.mark.parametrize(
    ("declared", "authors", "agencies"),
    [
        (
            '"author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Organization", "name": "Gulf Times"}]',
            ("Jane Doe",),
            (),
        ),
        ('"author": {"@type": "Organization", "name": "Associated Press"}', (), ("AP",)),
        ('"author": "Reuters"', (), ("Reuters",)),
        ('"author": [{"@type": "Person", "name": "Staff Reporter"}]', (), ()),
        ('"author": [{"@type": "Person", "name": "The Editorial Board"}]', (), ()),
    ],
)
def test_declared_authors_are_people_only(declared: str, authors: tuple[str, ...], agencies: tuple[str, ...]) -> None:
    head = f'<script type="application/ld+json">{{"@type": "NewsArticle", {declared}}}</script>'
    article = extract(html_page(head=head))
    assert (article.authors, article.agencies) == (authors, agencies)


@pytest.mark.parametrize(
    ("head", "published", "modified"),
    [
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2022-01-22T00:28:00+03:00",'
            ' "dateModified": "2022-01-22T10:00:00Z"}</script>',
            datetime(2022, 1, 21, 21, 28, tzinfo=UTC),
            datetime(2022, 1, 22, 10, 0, tzinfo=UTC),
        ),
        # no zone on the page: the source's (Doha, UTC+3)
        (
            '<meta property="article:published_time" content="2022-01-22T12:00">',
            datetime(2022, 1, 22, 9, tzinfo=UTC),
            None,
        ),
        # a date alone: its midnight in the source's zone, so the outlet's calendar day is kept
        ('<meta name="date" content="2022-01-22">', datetime(2022, 1, 21, 21, tzinfo=UTC), None),
    ],
)
def test_publication_and_update_times(head: str, published: datetime | None, modified: datetime | None) -> None:
    page = parse_html_page(html_page(head=head), GULF, "https://gulf-times.com/story/1")
    assert (page.published_at, page.modified_at) == (published, modified)


def test_a_page_declaring_no_date_gets_the_day_htmldate_finds() -> None:
    page = parse_html_page(html_page(paragraphs=["No date here."] * 3), GULF, "https://gulf-times.com/2022/01/22/story")
    assert page.published_at is not None and page.published_at.isoformat() == "2022-01-22T00:00:00+03:00"


def test_language_and_canonical_url_come_from_the_page() -> None:
    head = '<link rel="canonical" href="https://gulf-times.com/story/1?utm_source=x">'
    article = extract(html_page(head=head).replace("<html>", '<html lang="ar-QA">'))
    assert (article.language, article.canonical_url) == ("ar", "https://gulf-times.com/story/1")


def test_furniture_is_removed_with_its_reason() -> None:
    after = (
        "<p>Sign up for our daily newsletter to get the news in your inbox</p>"
        "<p>Read more: Another story entirely</p><p>Comments</p><p>Great article, thanks!</p>"
    )
    page = parse_html_page(html_page(after=after), GULF, "https://gulf-times.com/story/1")
    assert page.body == tuple(STORY)
    assert [reason for reason, _ in page.removed] == ["newsletter", "prompt", "comments-or-rail", "comments-or-rail"]


def test_source_rules_drop_elements_and_narrow_the_body() -> None:
    rules = ExtractRules(body="div.story", drop=(".promo",))
    source = Source("gulf-times", "Gulf Times", "gulf-times.com", ZoneInfo("Asia/Qatar"), "en", rules=rules)
    paragraphs = "".join(f"<p>{text}</p>" for text in STORY)
    html = (
        f'<html><body><div class="rail">{"".join(f"<p>{t}</p>" for t in STORIES[1][:6])}</div>'
        f'<div class="story">{paragraphs}<p class="promo">Download the Gulf Times app today and stay informed</p></div>'
        "</body></html>"
    )
    page = parse_html_page(html, source, None)
    assert page.body == tuple(STORY)


# Inputs that must come out as a clean record or a reject with a reason, never an exception of another kind.
def _huge_page() -> bytes:
    # 20 MB of inline script (a bloated page) around a real story
    return html_page(head=f"<script>var data = '{'x' * 20_000_000}';</script>").encode()


@pytest.mark.parametrize(
    ("payload", "outcome"),
    [
        (html_page().replace("<p>", "<p>\x00", 2).encode(), "article"),
        (b"<html><head><title>Only a head</title></head></html>", "empty-body"),
        ("".join(f"<p>{text}</p>" for text in STORY).encode(), "article"),  # no <html>, no <body>
        (_huge_page(), "article"),
        (b"<html><body>" + b"<p>" + b"word " * 4_500_000 + b"</p></body></html>", "too-large"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "not-html"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" * 50, "not-html"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(2000), "not-html"),
        (b"<html><body>" + bytes(5000) + b"</body></html>", "binary"),
        (b"", "not-html"),
        (b"   \n  ", "not-html"),
    ],
    ids=[
        *("nul-bytes", "no-body", "fragment", "20-mb", "too-large", "png", "pdf", "jpeg", "nul-filled", "empty"),
        "blank",
    ],
)
def test_hostile_inputs_give_a_record_or_a_reason(payload: bytes, outcome: str) -> None:
    try:
        article = extract(payload)
    except RejectedInput as error:
        assert error.reason == outcome
    else:
        assert outcome == "article"
        assert article.body[0].endswith(STORY[0][-40:])


@pytest.mark.parametrize(
    "paragraphs",
    [
        # Ge'ez (Amharic), Georgian, Tibetan and Cherokee: scripts no stoplist covers
        ["የኢትዮጵያ መንግሥት ዛሬ በአዲስ አበባ ከተማ አዲስ የልማት ፕሮጀክት መጀመሩን አስታወቀ። " * 6] * 5,
        ["საქართველოს მთავრობამ დღეს თბილისში ახალი განვითარების პროექტი წარადგინა. " * 6] * 5,
        ["བོད་ཀྱི་ལོ་རྒྱུས་དང་རིག་གཞུང་སྐོར་གྱི་གསར་འགྱུར་ཞིག་དེ་རིང་ཁྱབ་བསྒྲགས་བྱས། " * 6] * 5,
        ["ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ᎠᏕᎶᏆᏍᏗ ᎾᏍᎩ ᎯᎠ ᎢᏳᏍᏗ ᎠᏂᏴᏫᏯ ᏧᏂᎸᏫᏍᏓᏁᏗ ᎨᏒᎢ. " * 6] * 5,
    ],
    ids=["geez", "georgian", "tibetan", "cherokee"],
)
def test_a_script_no_stoplist_covers_still_gives_its_text(paragraphs: list[str]) -> None:
    unique = [f"{text} {number}" for number, text in enumerate(paragraphs)]
    article = extract(html_page(paragraphs=unique).replace("<html>", '<html lang="xx">'))
    assert article.body and article.body[0].startswith(unique[0][:20])


_MARKUP = st.sampled_from(
    [
        *("<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<html>", "<body>", "<!--", "-->", "<br>"),
        *('<meta property="og:title" content="', '<script type="application/ld+json">{"@type": "NewsArticle", '),
        *("&amp;", "&#0;", "\x00", "\ufeff", "<?xml version='1.0' encoding='utf-8'?>", "(AP) — ", "By ", " | "),
    ]
)
_CHUNK = st.one_of(_MARKUP, st.text(max_size=60), st.sampled_from(STORY))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunks=st.lists(_CHUNK, max_size=40), raw=st.binary(max_size=200), encode_raw=st.booleans())
def test_html_never_crashes(chunks: list[str], raw: bytes, encode_raw: bool) -> None:
    payload = raw if encode_raw else "".join(chunks).encode("utf-8", "surrogatepass")
    try:
        article = extract(payload)
    except RejectedInput as error:
        assert error.reason and error.detail
    else:
        assert all(line.strip() for line in article.body)
        json.dumps(article.body)


def test_gzip_served_as_html_is_rejected() -> None:
    with pytest.raises(RejectedInput, match="gzip"):
        extract(gzip.compress(html_page().encode()))


@pytest.mark.parametrize("wrapper", ["button", "aside", "footer"])
def test_a_story_a_template_wraps_in_a_layout_element_is_kept(wrapper: str) -> None:
    story = STORIES[0]
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in story)
    html = (
        "<html><head><title>Talks resume in Geneva</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f'<{wrapper} class="story-card"><article><h1>Talks resume in Geneva</h1>{paragraphs}</article></{wrapper}>'
        "</body></html>"
    )
    page = parse_html_page(html, GULF, "https://www.gulf-times.com/story/1/talks")
    assert page.body[0] == story[0] and page.body[-1] == story[-1] and len(page.body) == len(story)


def test_credits_are_kept_apart_and_trailers_and_contacts_dropped() -> None:
    after = (
        "<p>Additional reporting by Stephanie Kelly; Editing by Nick Zieminski</p>"
        "<p>Reach the reporters at desk@gulf-times.com</p>"
        "<p>Our Standards: The Thomson Reuters Trust Principles.</p>"
    )
    article = extract(html_page(after=after))
    assert article.body == tuple(STORY)
    assert article.credits == ("Additional reporting by Stephanie Kelly; Editing by Nick Zieminski",)


@pytest.mark.parametrize(
    ("line", "ends"), [("Tags:", True), ("Tags »", True), ("Comments (12)", False), ("tags = {", False)]
)
def test_an_end_of_story_marker_is_a_label_not_a_line_that_starts_with_its_word(line: str, ends: bool) -> None:
    after = f"<p>{line}</p><p>The story goes on after this line, as a paragraph of prose does in any article.</p>"
    page = parse_html_page(html_page(after=after), GULF, "https://gulf-times.com/story/1")
    assert (page.body[-1] != "The story goes on after this line, as a paragraph of prose does in any article.") == ends
