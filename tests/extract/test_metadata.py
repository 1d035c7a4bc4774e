"""What pages declare and show about themselves: JSON-LD in its many shapes, `<meta>`, microdata, bylines in many
languages, and how the authors are chosen among them."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest
from lxml.html import HtmlElement

from pipeline.extract.byline import choose_people, read_byline
from pipeline.extract.bylines import visible_bylines
from pipeline.extract.html import _parse
from pipeline.extract.jsonld import read_json_ld
from pipeline.extract.metadata import read_metadata
from pipeline.extract.people import read_names

UTC_ZONE = ZoneInfo("UTC")


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
        ("doumae", True, ["doumae"], []),  # a declared field is taken at its word
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
