"""Listing pages: article links on the source's domain, matching its pattern, bounded, and never a crash."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.fetch.http import FetchPolicy, PoliteClient
from pipeline.fetch.listing import MAX_LINKS, article_links
from tests.fetch.server import PAGE_NAMES, PageServer

PAGE = "https://www.gulf-times.com/qatar"
POLICY = FetchPolicy(min_interval=0, retries=0, allow_private_hosts=True)


def links(html: str, pattern: str | None = None, page: str = PAGE) -> list[str]:
    """The URLs `article_links` takes from `html` on gulf-times.com."""
    return [item.url for item in article_links(html, page, "gulf-times.com", re.compile(pattern) if pattern else None)]


@pytest.mark.parametrize(
    ("anchors", "expected"),
    [
        ('<a href="/article/1/x">x</a>', ["https://www.gulf-times.com/article/1/x"]),
        ('<a href="article/2/y">y</a>', ["https://www.gulf-times.com/article/2/y"]),
        ('<a href="https://sport.gulf-times.com/article/3">s</a>', ["https://sport.gulf-times.com/article/3"]),
        ('<a href="//gulf-times.com/article/4">p</a>', ["https://gulf-times.com/article/4"]),
        ('<a href="https://notgulf-times.com/article/5">n</a>', []),
        ('<a href="https://gulf-times.com.evil.example/article/6">e</a>', []),
        ('<a href="ftp://gulf-times.com/article/7">f</a>', []),
        ('<a href="javascript:go()">j</a><a href="mailto:a@gulf-times.com">m</a><a href="#top">t</a>', []),
        ('<a href="/article/8#c">a</a><a href="/article/8">b</a>', ["https://www.gulf-times.com/article/8"]),
        ('<a href="/qatar">self</a><a href="/qatar#x">self again</a>', []),
        ('<a href="http://[::1">broken</a><a href="/article/9">ok</a>', ["https://www.gulf-times.com/article/9"]),
        ("<a>no href</a><a href=''>empty</a>", []),
    ],
)
def test_links_are_absolute_on_the_domain_without_fragments_or_repeats(anchors: str, expected: list[str]) -> None:
    assert links(f"<html><body>{anchors}</body></html>") == expected


def test_the_pattern_keeps_only_article_urls() -> None:
    html = '<a href="/article/1/x">a</a><a href="/category/qatar">c</a><a href="/article/2/y?ref=nav">b</a>'
    assert links(html, r"/article/\d+/") == [
        "https://www.gulf-times.com/article/1/x",
        "https://www.gulf-times.com/article/2/y?ref=nav",
    ]


def test_a_base_element_resolves_relative_links() -> None:
    html = '<html><head><base href="https://www.gulf-times.com/news/"></head><body><a href="a1">x</a></body></html>'
    assert links(html) == ["https://www.gulf-times.com/news/a1"]


def test_the_link_text_is_kept_as_the_title() -> None:
    [item] = article_links('<a href="/a"> Talks <b>resume</b> </a>', PAGE, "gulf-times.com")
    assert (item.title, item.published_at) == ("Talks resume", None)


def test_a_page_of_thousands_of_links_gives_at_most_the_limit() -> None:
    html = "".join(f'<a href="/article/{n}">{n}</a>' for n in range(3 * MAX_LINKS))
    found = links(html)
    assert len(found) == MAX_LINKS and found[0] == "https://www.gulf-times.com/article/0"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=60))
def test_any_html_gives_links_on_the_domain_or_none(html: str, href: str) -> None:
    for item in article_links(f'{html}<a href="{href}">x</a>', PAGE, "gulf-times.com"):
        assert item.url.startswith(("http://", "https://")) and "#" not in item.url


def test_a_listing_page_on_the_local_server_gives_its_two_stories(page_server: PageServer) -> None:
    with PoliteClient(POLICY) as client:
        page = client.fetch(f"{page_server.base_url}/section/world")
    found = article_links(page.text or "", page.final_url, "127.0.0.1", re.compile("/page/"))
    assert [item.url for item in found] == [f"{page_server.base_url}/page/{name}" for name in PAGE_NAMES[:2]]
    assert [item.title for item in found] == ["Talks to resume next week", "Markets fall"]
