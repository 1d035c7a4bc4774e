"""The planner on its own: a batch placed against stored stories, with no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pipeline.dedupe.minhash import signatures
from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.planner import Holder, Join, Merge, Neighbourhood, NewStory, Placement, plan
from pipeline.dedupe.stories import Member, candidate_pairs
from tests.wire import STORIES, reworded

T0 = datetime(2022, 1, 21, 20, tzinfo=UTC)
PARAMS = DedupeParams()


def members(bodies: dict[int, list[str]], hours: int) -> list[Member[int]]:
    """One member per body, keyed as given, published `hours` after T0."""
    signed = signatures(["\n".join(body) for body in bodies.values()], PARAMS, workers=1)
    published = T0 + timedelta(hours=hours)
    return [Member(key, published, s.words, s.content_hash, s) for key, s in zip(bodies, signed, strict=True)]


def placed(batch: list[Member[int]], stored: list[Member[int]], stories: dict[int, int | None]) -> Placement[int]:
    """`batch` placed against `stored` (in `stories`), every article holding its whole signature, candidates as
    the warehouse finds them (each pair has a batch article)."""
    first, second = candidate_pairs([*batch, *stored], PARAMS)
    ours = (first < len(batch)) | (second < len(batch))
    holders = tuple(Holder(m, len(m.signature.sentences), stories.get(m.key)) for m in [*batch, *stored])
    around = Neighbourhood(tuple(stored), stories, holders, holders)
    return plan(batch, (first[ours], second[ours]), around, PARAMS)


def test_a_copy_bridging_two_stored_stories_merges_them_into_the_older() -> None:
    full = STORIES[1]
    stored = members({1: full[: len(full) * 3 // 5], 2: full[len(full) * 2 // 5 :]}, hours=0)
    placement = placed(members({3: full}, hours=1), stored, {1: 10, 2: 20})

    assert placement.new_stories == ()
    assert placement.joins == (Join(3, 10),)
    assert placement.merges == (Merge(10, (20,), 3),)
    assert (placement.articles, placement.duplicates, placement.merged_stories) == (1, 1, 1)


def test_new_stories_come_in_order_of_their_smallest_key_and_a_placed_article_keeps_its_story() -> None:
    batch = members({7: STORIES[0], 5: STORIES[2], 6: STORIES[0], 8: STORIES[3]}, hours=1)
    placement = placed(batch, [], {8: 30})

    assert placement.new_stories == ((5,), (6, 7))
    assert placement.joins == (Join(8, 30),)
    assert (placement.articles, placement.duplicates, placement.merges) == (4, 2, ())


def test_a_merged_rewrite_gets_a_story_of_its_own_and_links_to_both_stored_stories() -> None:
    a, b = STORIES[0], STORIES[5]
    stored = members({1: a, 2: b}, hours=0)
    placement = placed(members({3: a[: len(a) // 2] + b[: len(b) // 2]}, hours=1), stored, {1: 10, 2: 20})

    assert placement.new_stories == ((3,),) and placement.joins == ()
    assert {(link.article, link.story) for link in placement.links} == {(3, 10), (3, 20)}
    assert set(placement.relinked) == {1, 2, 3}


def test_links_to_a_new_story_name_it_by_its_place() -> None:
    a, b = STORIES[0], STORIES[5]
    batch = members({1: a, 2: b}, hours=0) + members({3: a[: len(a) // 2] + b[: len(b) // 2]}, hours=1)
    placement = placed(batch, [], {})

    assert placement.new_stories == ((1,), (2,), (3,))
    assert {(link.article, link.story) for link in placement.links} == {(3, NewStory(0)), (3, NewStory(1))}
    assert all(link.sentences > 0 for link in placement.links)


def test_a_reworded_update_joins_the_stored_story_by_alignment_with_its_evidence() -> None:
    full = STORIES[1]
    stored = members({1: full}, hours=0)
    placement = placed(members({2: reworded(full[:-2])}, hours=5), stored, {1: 10})

    assert placement.joins == (Join(2, 10),)
    (evidence,) = placement.evidence
    assert (evidence.article, evidence.other, evidence.scorer) == (2, 1, "alignment")
    assert evidence.score >= PARAMS.rewrite_score and evidence.aligned <= evidence.sentences
    assert evidence.jaccard < PARAMS.jaccard and evidence.containment < PARAMS.containment


def test_a_reworded_version_outside_the_window_is_a_story_of_its_own() -> None:
    full = STORIES[1]
    late = PARAMS.rewrite_window_hours + 1
    placement = placed(members({2: reworded(full[:-2])}, hours=int(late)), members({1: full}, hours=0), {1: 10})

    assert placement.new_stories == ((2,),) and placement.joins == () and placement.evidence == ()


def test_copies_keep_their_evidence_by_shingles() -> None:
    placement = placed(members({1: STORIES[0], 2: STORIES[0][:-1]}, hours=0), [], {})

    (evidence,) = placement.evidence
    assert evidence.scorer == "shingles" and evidence.score >= PARAMS.jaccard


def test_a_reworded_article_that_aligns_with_two_stories_joins_only_the_one_it_aligns_with_best() -> None:
    # Both stories are shorter than the rewrite, and all of the first's sentences align with it, most of the second's.
    a, b = STORIES[4], STORIES[2]
    stored = members({1: a, 2: b}, hours=0)
    placement = placed(members({3: reworded(a) + reworded(b[:-4])}, hours=2), stored, {1: 10, 2: 20})

    assert {e.other for e in placement.evidence} == {1}
    assert placement.merges == ()
    assert placement.joins == (Join(3, 10),)
