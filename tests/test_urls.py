"""Canonical URLs: the variants outlets and feeds link to collapse to one spelling."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.urls import canonical_url

CANONICAL = "https://thepeninsulaqatar.com/article/22/01/2022/us-and-russia"


@pytest.mark.parametrize(
    "variant",
    [
        CANONICAL,
        "https://www.thepeninsulaqatar.com/article/22/01/2022/us-and-russia",
        "https://THEPENINSULAQATAR.com/article/22/01/2022/us-and-russia#comments",
        "https://thepeninsulaqatar.com/article/22/01/2022/us-and-russia?utm_source=twitter&utm_medium=social",
        "https://m.thepeninsulaqatar.com/article/22/01/2022/us-and-russia",
        "https://amp.thepeninsulaqatar.com/article/22/01/2022/us-and-russia",
        "https://thepeninsulaqatar.com/article/22/01/2022/us-and-russia/amp",
        "https://thepeninsulaqatar.com/article/22/01/2022/us-and-russia/amp/",
        "https://thepeninsulaqatar.com/article/22/01/2022/us-and-russia?amp=1",
        "https://thepeninsulaqatar.com/article/22/01/2022/us-and-russia?outputType=amp",
        "https://thepeninsulaqatar.com:443/article/22/01/2022/us-and-russia",
    ],
)
def test_variants_of_one_article_share_a_canonical_url(variant: str) -> None:
    assert canonical_url(variant) == CANONICAL


def test_query_parameters_that_name_the_article_stay_sorted() -> None:
    assert (
        canonical_url("https://gulf-times.com/story.aspx?id=9&cat=2&fbclid=x")
        == "https://gulf-times.com/story.aspx?cat=2&id=9"
    )


@pytest.mark.parametrize("url", ["ftp://x.com/a", "/relative/path", "mailto:desk@afp.com", "", "https://"])
def test_non_web_urls_have_no_canonical_form(url: str) -> None:
    assert canonical_url(url) is None


def test_a_bare_domain_named_like_an_edition_is_kept() -> None:
    assert canonical_url("https://m.com/news") == "https://m.com/news"


@given(st.text(max_size=80))
def test_any_string_gives_a_url_or_none_and_canonical_is_idempotent(text: str) -> None:
    url = canonical_url("https://gulf-times.com/" + text)
    assert url is None or canonical_url(url) == url
