"""The offline clusterer (`wiredesk dedupe --jsonl`) on real text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest

from pipeline.dedupe.offline import Copy, cluster, parse_copy
from tests.wire import STORIES

T0 = datetime(2022, 1, 21, 20, tzinfo=UTC)


def copy(id: str, paragraphs: list[str], hours: int = 0) -> Copy:
    """A copy published `hours` after T0."""
    return Copy(id, "outlet", None, "\n".join(paragraphs), T0 + timedelta(hours=hours))


def test_copies_cluster_under_the_earliest_and_merged_rewrites_link_both() -> None:
    a, b = STORIES[0], STORIES[5]
    copies = [
        copy("late-copy", a[1:], hours=3),
        copy("a", a, hours=1),
        copy("b", b, hours=1),
        copy("merged", a[: len(a) // 2] + b[: len(b) // 2], hours=2),
        copy("other", STORIES[3]),
    ]
    result = {assignment.id: assignment for assignment in cluster(copies)}

    assert result["late-copy"].story_id == result["a"].story_id == "a"
    assert result["a"].canonical and not result["late-copy"].canonical
    assert result["b"].story_id == "b" and result["other"].story_id == "other"
    assert result["merged"].story_id == "merged"
    assert set(result["merged"].also_in) == {"a", "b"}
    assert [assignment.id for assignment in cluster(copies)] == [c.id for c in copies]


def test_order_of_input_does_not_change_the_stories() -> None:
    a = STORIES[1]
    copies = [copy("head", a[:10]), copy("tail", a[7:], hours=1), copy("full", a, hours=2)]
    forward = {x.id: x.story_id for x in cluster(copies)}
    backward = {x.id: x.story_id for x in cluster(list(reversed(copies)))}
    assert forward == backward == {"head": "head", "tail": "head", "full": "head"}


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        cluster([copy("x", STORIES[0]), copy("x", STORIES[1])])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "f.jsonl:3: not JSON"),
        ("[1, 2]", "f.jsonl:3: not a JSON object"),
        ('{"id": "x"}', "f.jsonl:3: 'body' is missing"),
        ('{"id": "x", "body": "b", "published_at": "yesterday"}', "is not an ISO 8601 time"),
        ('{"id": "x", "body": "b", "published_at": "2022-01-21T20:00:00"}', "has no time zone"),
    ],
)
def test_bad_lines_name_the_file_and_line(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_copy(line, "f.jsonl:3")


@pytest.mark.parametrize(("first", "second"), list(permutations(range(len(STORIES)), 2)))
def test_a_rewrite_that_nearly_copies_one_story_does_not_pull_in_the_other(first: int, second: int) -> None:
    # The rewrite is two thirds of `a` (nearly the same text as a-head) and half of `b`, which holds all of
    # b-head: containment alone would bridge a's story and b's.
    a, b = STORIES[first], STORIES[second]
    copies = [
        copy("a", a),
        copy("b", b),
        copy("a-head", a[: len(a) * 2 // 3], hours=1),
        copy("b-head", b[: len(b) // 2], hours=1),
        copy("merged", a[: len(a) * 2 // 3] + b[: len(b) // 2], hours=2),
    ]
    result = {assignment.id: assignment for assignment in cluster(copies)}

    assert result["a-head"].story_id == "a" and result["b-head"].story_id == "b"
    assert {result["merged"].story_id, *result["merged"].also_in} == {"a", "b"}


def test_an_older_article_quoting_one_sentence_is_not_where_a_rewrite_took_it() -> None:
    # The rewrite takes two long sentences from a and more from b. An unrelated article, older than both, quoted
    # the first of a's: were that article the sentence's origin, the rewrite would take one sentence from a and
    # pass for a copy of a that contains b-head, pulling b-head into a's story.
    # a's first two paragraphs hold one long sentence each.
    a, b = STORIES[2], STORIES[5]
    copies = [
        copy("quote", [*STORIES[4][:3], a[0]], hours=-5),
        copy("a", a),
        copy("b", b),
        copy("a-head", a[:2], hours=3),
        copy("b-head", b[1:4], hours=3),
        copy("merged", a[:2] + b[1:4], hours=2),
    ]
    result = {assignment.id: assignment for assignment in cluster(copies)}

    assert {"a", "b"} <= {result["merged"].story_id, *result["merged"].also_in}
    assert result["a-head"].story_id == "a" and result["b-head"].story_id != "a"
    assert result["quote"].story_id == "quote"
