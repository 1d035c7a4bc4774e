"""Learning boilerplate from one source's pages: what recurs on enough distinct pages, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.extract.boilerplate import Boilerplate, LearnParams, SamplePage, learn_lines
from tests.wire import STORIES

NOW = datetime(2026, 11, 28, tzinfo=UTC)
APP = "Download the Gulf Times app for breaking news"
FOLLOW = "Follow us on WhatsApp"


def _pages(count: int, *extra: str) -> list[SamplePage]:
    """`count` pages of different stories (real paragraphs, told apart by their number), each ending in `extra`."""
    stories = [[f"{paragraph} (story {n})" for paragraph in STORIES[n % len(STORIES)][:3]] for n in range(count)]
    return [SamplePage(f"Story {n}", (*stories[n], *extra)) for n in range(count)]


def test_lines_on_enough_distinct_pages_are_learned_with_their_evidence() -> None:
    learned = learn_lines(_pages(6, APP, FOLLOW), LearnParams(min_pages=3), NOW)
    assert [(line.text, line.pages, line.sampled) for line in learned] == [(APP, 6, 6), (FOLLOW, 6, 6)]
    assert learned[0].reason == "boilerplate: on 6 of 6 pages sampled (2026-11-28)"


def test_the_same_story_stored_many_times_teaches_nothing() -> None:
    copies = [SamplePage("One story, updated", (*STORIES[0][:3], APP)) for _ in range(10)]
    assert learn_lines(copies, LearnParams(min_pages=3), NOW) == []


def test_a_line_below_the_page_count_or_the_share_is_kept() -> None:
    pages = _pages(40)
    pages[:2] = [SamplePage(page.title, (*page.body, APP)) for page in pages[:2]]
    assert learn_lines(pages, LearnParams(min_pages=3), NOW) == []
    pages[:3] = [SamplePage(page.title, (*page.body, FOLLOW)) for page in pages[:3]]
    # three pages of forty is under the 10% share asked for
    assert learn_lines(pages, LearnParams(min_pages=3, min_share=0.1), NOW) == []
    assert [line.text for line in learn_lines(pages, LearnParams(min_pages=3, min_share=0.05), NOW)] == [FOLLOW]


def test_matching_ignores_case_and_punctuation_and_says_why() -> None:
    [line] = learn_lines(_pages(5, APP), LearnParams(), NOW)
    boilerplate = Boilerplate("gulf-times", {line.key: line})
    body, removed = boilerplate.strip(["A paragraph of the story.", APP.upper() + "!", "The end."])
    assert body == ("A paragraph of the story.", "The end.")
    assert removed == ((line.reason, APP.upper() + "!"),)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_pages": 1}, "min_pages must be at least 2"),
        ({"min_share": 0.0}, "min_share must be in"),
        ({"min_share": 1.5}, "min_share must be in"),
        ({"sample": 2}, "sample must be at least min_pages"),
    ],
)
def test_params_are_checked(params: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LearnParams(**params)  # type: ignore[arg-type]
