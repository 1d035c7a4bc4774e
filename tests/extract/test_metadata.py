"""What pages declare and show about themselves: JSON-LD in its many shapes, `<meta>`, microdata, bylines in many
languages, and how the authors are chosen among them."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest
from lxml.html import HtmlElement

from pipeline.extract.byline import choose_people, read_byline
from pipeline.extract.bylines import visible_bylines
from pipeline.extract.html import _parse, parse_html_page
from pipeline.extract.jsonld import read_json_ld
from pipeline.extract.metadata import read_metadata
from pipeline.extract.people import read_names
from pipeline.sources import Source

UTC_ZONE = ZoneInfo("UTC")
GENERIC = Source("example", "Example", "example.org", UTC_ZONE)


def tree_of(head: str = "", body: str = "") -> HtmlElement:
    return _parse(f"<html><head>{head}</head><body>{body}<p>{'Story text. ' * 20}</p></body></html>")


def json_ld(*blocks: object) -> str:
    return "".join(f'<script type="application/ld+json">{json.dumps(block)}</script>' for block in blocks)


ARTICLE = {"@type": "NewsArticle", "headline": "Summit ends", "datePublished": "2022-01-22T00:28:00+03:00"}


@pytest.mark.parametrize(
    "blocks",
    [
        [ARTICLE],
        [[{"@type": "WebSite", "name": "Gulf Times"}, ARTICLE]],
        [{"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "name": "Page"}, ARTICLE]}],
        [{"@type": "WebPage", "mainEntity": ARTICLE}],
        [{**ARTICLE, "@type": ["NewsArticle", "Article"]}],
        [{"@type": "BreadcrumbList"}, {**ARTICLE, "@type": "https://schema.org/NewsArticle"}],
        # the news article wins over another article object and over the page
        [{"@type": "Article", "headline": "Other"}, {"@type": "WebPage", "headline": "Page"}, ARTICLE],
    ],
)
def test_the_article_is_found_in_any_json_ld_shape(blocks: list[object]) -> None:
    found = read_json_ld(tree_of(json_ld(*blocks)))
    assert (found.headline, found.published) == ("Summit ends", "2022-01-22T00:28:00+03:00")


@pytest.mark.parametrize(
    ("author", "people", "organisations"),
    [
        ({"@type": "Person", "name": "Jane Doe"}, ["Jane Doe"], []),
        (
            [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}],
            ["Jane Doe", "John Roe"],
            [],
        ),
        ({"@type": "Organization", "name": "Gulf Times"}, [], ["Gulf Times"]),
        ("Jane Doe", ["Jane Doe"], []),
        ({"@type": "Person", "givenName": "Jane", "familyName": "Doe"}, ["Jane Doe"], []),
        ({"@type": "Person", "name": ["Jane Doe"]}, ["Jane Doe"], []),
        ({"@id": "#jane"}, ["Jane Doe"], []),  # a reference into the graph
        ("https://example.org/author/jane", [], []),
        ({"@type": "Person", "name": "Ren&eacute;e O&#8217;Neil"}, ["Renée O’Neil"], []),
    ],
)
def test_json_ld_authors_people_and_organisations(author: object, people: list[str], organisations: list[str]) -> None:
    graph = {"@graph": [{**ARTICLE, "author": author}, {"@id": "#jane", "@type": "Person", "name": "Jane Doe"}]}
    found = read_json_ld(tree_of(json_ld(graph)))
    assert (found.people, found.organisations) == (people, organisations)


def test_json_ld_entities_are_unescaped_and_broken_blocks_repaired() -> None:
    broken = '{"@type": "NewsArticle", "headline": "&#8216;Hi&#8217; &amp;amp; bye",}'
    block = f'<script type="application/ld+json"><!--\n{broken}\n--></script>'
    assert read_json_ld(tree_of(block)).headline == "‘Hi’ & bye"


def test_meta_value_attribute_microdata_and_twitter_label_are_read() -> None:
    head = (
        '<meta name="author" value="Julia Horowitz"><meta name="twitter:label1" content="Written by">'
        '<meta name="twitter:data1" content="Ellyn Shook">'
    )
    body = '<div itemscope itemtype="https://schema.org/Article"><span itemprop="author">Sam Stein</span></div>'
    found = read_metadata(tree_of(head, body), UTC_ZONE)
    assert found.authors == [["Julia Horowitz"], ["Ellyn Shook"], ["Sam Stein"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<h1>Title</h1><p class="byline">By <a href="/x">Oli Coleman</a></p>', [["By", "Oli Coleman"]]),
        ('<h1>Title</h1><div><a href="https://example.org/author/jane-doe/">Jane Doe</a></div>', [["Jane Doe"]]),
        ("<h1>Title</h1><p>Von Hans Müller</p>", [["Von Hans Müller"]]),
        # a name linked in running text is someone the story is about
        ('<h1>T</h1><p>Says <a href="/author/x">Jane Doe</a>' + " and more" * 30 + "</p>", []),
        # a comment's author is no byline
        ('<h1>T</h1><div class="comments"><span class="author">Troll King</span></div>', []),
    ],
)
def test_visible_bylines(body: str, expected: list[list[str]]) -> None:
    assert visible_bylines(tree_of(body=body)) == expected


@pytest.mark.parametrize(
    ("text", "declared", "people", "agencies"),
    [
        ("By Jane Doe and John Roe", False, ["Jane Doe", "John Roe"], []),
        ("Von Hans Müller und Eva Schmidt", False, ["Hans Müller", "Eva Schmidt"], []),
        ("Par Marie Dupont et Jean Martin", False, ["Marie Dupont", "Jean Martin"], []),
        ("Por María García y José López", False, ["María García", "José López"], []),
        ("Door Jan de Vries", False, ["Jan de Vries"], []),
        ("Przez Anna Kowalska", False, ["Anna Kowalska"], []),
        ("Jane Doe, Senior Politics Editor", False, ["Jane Doe"], []),
        ("Teresa NewsomeDec. 5, 2016", False, ["Teresa Newsome"], []),
        ("Wednesday January 18, 2017 10:44 am PST by Juli Clover", False, ["Juli Clover"], []),
        ("Jane Doe (https://example.org/jane)", True, ["Jane Doe"], []),
        ("Jane Doe, Reuters", True, ["Jane Doe"], ["Reuters"]),
        ("Doumae", True, ["Doumae"], []),  # a declared field is taken at its word
        ("doumae", True, [], []),  # unless it holds a user name
        ("Gillman, Steve", True, ["Steve Gillman"], []),  # one name written surname first
        ("doumae", False, [], []),  # a text on the page must look like a name
        ("admin", True, [], []),
        ("Gulf Times", True, [], []),  # the outlet itself
        ("Daniel D. Von Hoff", True, ["Daniel D. Von Hoff"], []),
        ("Da Silva", True, ["Da Silva"], []),
        ("著者：後藤大地", True, ["後藤大地"], []),
    ],
)
def test_names_read_from_author_fields(text: str, declared: bool, people: list[str], agencies: list[str]) -> None:
    found = read_names(text, ["Gulf Times"], declared=declared)
    assert (found.people, found.agencies) == (people, agencies)


@pytest.mark.parametrize(
    ("declared", "credited", "shown", "chosen"),
    [
        # the publisher in <meta name=author>; the byline and another meta name agree on the person
        ([["Condé Nast"], ["Alex Hutchinson"]], [], [["Alex Hutchinson"]], ["Alex Hutchinson"]),
        # nothing confirmed anywhere: the most trusted place
        ([["Jane Doe"]], ["John Roe"], [["Joe Bloggs"]], ["Jane Doe"]),
        ([], ["John Roe"], [["Joe Bloggs"]], ["John Roe"]),
        # a body credit glued to its date loses to the declared name the byline confirms
        ([["Teresa Newsome"]], ["Teresa NewsomeDec"], [["Teresa Newsome"]], ["Teresa Newsome"]),
        # the story's credit line adds the co-author the page does not declare
        ([["Jane Doe"]], ["Jane Doe", "John Roe"], [], ["Jane Doe", "John Roe"]),
        ([], [], [], []),
    ],
)
def test_the_most_trusted_confirmed_place_names_the_authors(
    declared: list[list[str]], credited: list[str], shown: list[list[str]], chosen: list[str]
) -> None:
    assert choose_people(declared, credited, shown) == chosen


def test_byline_keeps_agencies_and_people_apart() -> None:
    found = read_byline(["Story."], [], [["Jane Doe", "AFP"]], ["Gulf Times"], [["By Someone Else"]])
    assert (found.authors, found.agencies) == (("Jane Doe",), ("AFP",))


def test_the_heading_readers_see_is_the_headline() -> None:
    # the declared title is written for search engines; the one <h1> is on its subject and a headline's size
    head = '<meta property="og:title" content="Why Does Slack Say Hummus?"><title>Slack | Forward</title>'
    body = "<h1>The Adorable Reason You Can Set Your Alert Sound to Hummus on Slack</h1>"
    page = parse_html_page(f"<html><head>{head}</head><body>{body}<p>{'Text. ' * 40}</p></body></html>", GENERIC)
    assert page.title == "The Adorable Reason You Can Set Your Alert Sound to Hummus on Slack"


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        # the site's logo as a heading is no headline
        ('<meta property="og:site_name" content="Gulf Times"><title>Summit ends in Geneva after talks | Gulf Times'
         "</title>", '<h1 class="logo">Gulf Times</h1>',
         "Summit ends in Geneva after talks"),
        # a heading on another subject (a section name) is no headline
        ("<title>Summit ends in Geneva after talks</title>", "<h1>Weather and traffic for today here</h1>",
         "Summit ends in Geneva after talks"),
        # the title repeats the heading with the site after it, in Japanese punctuation
        ("<title>見出しのテキストです：サイト名</title>", "<h1>見出しのテキストです</h1>", "見出しのテキストです"),
        # Wikipedia: the JSON-LD headline is a description, the name is the heading
        ('<script type="application/ld+json">{"@type": "Article", "name": "New Zealand", "headline": "country in'
         ' Oceania"}</script>', "<h1>New Zealand</h1>", "New Zealand"),
    ],
)  # fmt: skip
def test_headline_choice(head: str, body: str, title: str) -> None:
    page = parse_html_page(f"<html><head>{head}</head><body>{body}<p>{'Text. ' * 40}</p></body></html>", GENERIC)
    assert page.title == title


def test_a_utc_time_is_restated_in_the_offset_the_page_writes_elsewhere() -> None:
    head = '<meta property="article:published_time" content="2023-11-09T03:28:35Z">'
    script = '<script>var page = {"date": "2023-11-08T22:28:35-05:00"};</script>'
    page = parse_html_page(f"<html><head>{head}{script}</head><body><p>{'Text. ' * 40}</p></body></html>", GENERIC)
    assert page.published_at is not None and page.published_at.isoformat() == "2023-11-08T22:28:35-05:00"
