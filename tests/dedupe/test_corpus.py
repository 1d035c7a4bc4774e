"""The dedupe benchmark's corpus: deterministic, every kind planted as described, labels that agree with the text;
and the benchmark's scoring, checked with stand-in clusterers whose figures are known."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path

import pytest
from rich.progress import Progress

# The benchmarks are scripts run from their folder (`python benchmarks/dedupe.py`), so they import each other as
# top-level modules; the tests see them the same way.
sys.path.append(str(Path(__file__).resolve().parents[2] / "benchmarks"))

import dedupe as benchmark
from dedupe_corpus import (
    BOILERPLATE,
    COPY_KINDS,
    KINDS,
    SAME_TOPIC,
    CorpusItem,
    build_corpus,
    load_stories,
    same_topic_pairs,
)

ALL_KINDS = (*COPY_KINDS, "merged", "unrelated", "agency")


@pytest.fixture(scope="module")
def corpus() -> list[CorpusItem]:
    return build_corpus()


@pytest.fixture(scope="module")
def originals(corpus: list[CorpusItem]) -> dict[str, CorpusItem]:
    return {item.story: item for item in corpus if item.kind == "original"}


def paragraphs(item: CorpusItem) -> list[str]:
    return item.body.split("\n")


def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}


def jaccard(first: str, second: str) -> float:
    a, b = shingles(first), shingles(second)
    return len(a & b) / len(a | b)


def is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    remaining = iter(long)
    return all(any(line == other for other in remaining) for line in short)


def of_kind(corpus: list[CorpusItem], kind: str) -> list[CorpusItem]:
    return [item for item in corpus if item.kind == kind]


def test_same_seed_same_corpus_other_seed_other_corpus(corpus: list[CorpusItem]) -> None:
    assert build_corpus(7) == corpus
    other = build_corpus(8)
    assert other != corpus
    assert {i.id for i in other if i.kind == "original"} == {i.id for i in corpus if i.kind == "original"}


def test_originals_are_the_long_ground_truth_bodies_and_the_sample(originals: dict[str, CorpusItem]) -> None:
    assert 170 <= len(originals) <= 182
    assert "peninsula-2022-01-22" in originals
    sample = originals["peninsula-2022-01-22"]
    assert sample.title == "US and Russia promise to work on easing tensions over Ukraine"
    assert sample.body.startswith("Washington and Moscow’s top diplomats")
    assert sample.body.endswith("including tanks, artillery and ammunition.")
    assert all(len(item.body.split()) >= 80 for item in originals.values())


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_is_well_represented(corpus: list[CorpusItem], kind: str) -> None:
    assert len(of_kind(corpus, kind)) >= 40


def test_about_four_copies_per_original(corpus: list[CorpusItem], originals: dict[str, CorpusItem]) -> None:
    copies = sum(1 for item in corpus if item.kind in COPY_KINDS)
    assert 3.5 <= copies / len(originals) <= 4.5
    assert 50 <= len(of_kind(corpus, "merged")) <= 70


def test_ids_are_unique_and_labels_consistent(corpus: list[CorpusItem], originals: dict[str, CorpusItem]) -> None:
    assert len({item.id for item in corpus}) == len(corpus)
    story_count = Counter(story for item in corpus for story in item.stories)
    for item in corpus:
        assert item.kind in KINDS
        assert (item.also_story is not None) == (item.kind == "merged")
        if item.kind in ("original", "unrelated", "agency"):
            assert item.story == item.id
        if item.kind in ("unrelated", "agency"):
            assert story_count[item.story] == 1, "an unrelated item or another agency's account is a story of its own"
        else:
            assert item.stories <= originals.keys()
        if item.kind == "merged":
            assert item.also_story != item.story


def test_copies_come_later_from_other_outlets(corpus: list[CorpusItem], originals: dict[str, CorpusItem]) -> None:
    for item in corpus:
        if item.kind in COPY_KINDS:
            original = originals[item.story]
            assert item.source != original.source
            assert item.published_at > original.published_at
    assert len({item.source for item in corpus}) > 20
    assert [item.published_at for item in corpus] == sorted(item.published_at for item in corpus)


def check_headline(copy: CorpusItem, original: CorpusItem) -> None:
    assert copy.body == original.body
    assert copy.title != original.title


def check_drop(copy: CorpusItem, original: CorpusItem) -> None:
    kept, full = paragraphs(copy), paragraphs(original)
    assert 1 <= len(full) - len(kept) <= 3
    assert len(kept) >= 3
    assert kept[0] == full[0]
    assert is_subsequence(kept, full)


def check_reorder(copy: CorpusItem, original: CorpusItem) -> None:
    moved, full = paragraphs(copy), paragraphs(original)
    assert moved != full
    assert sorted(moved) == sorted(full)
    assert moved[0] == full[0]


def check_boilerplate(copy: CorpusItem, original: CorpusItem) -> None:
    lines = paragraphs(copy)
    added = [line for line in lines if line in BOILERPLATE]
    assert 2 <= len(added) <= 4
    assert [line for line in lines if line not in BOILERPLATE] == paragraphs(original)


def check_edits(copy: CorpusItem, original: CorpusItem) -> None:
    words, full = copy.body.split(), original.body.split()
    assert copy.body != original.body
    assert abs(len(words) - len(full)) <= 0.05 * len(full) + 1
    assert len(paragraphs(copy)) == len(paragraphs(original))
    assert 0.4 <= jaccard(copy.body, original.body) < 1


def check_truncation(copy: CorpusItem, original: CorpusItem) -> None:
    kept, full = paragraphs(copy), paragraphs(original)
    assert kept == full[: len(kept)]
    assert 1 <= len(kept) < len(full)
    assert len(full) < 5 or 0.3 <= len(kept) / len(full) <= 0.8


def check_update(copy: CorpusItem, original: CorpusItem) -> None:
    lines, full = paragraphs(copy), paragraphs(original)
    new = [line for line in lines if line not in full]
    assert 1 <= len(new) <= 3
    assert is_subsequence(full, lines)
    vocabulary = set(original.body.split())
    assert all(word in vocabulary for line in new for word in line.split()), "updates reuse the story's words"


def trigram_jaccard(first: str, second: str) -> float:
    words = [re.findall(r"\w+", text.lower()) for text in (first, second)]
    a, b = ({" ".join(w[i : i + 3]) for i in range(len(w) - 2)} for w in words)
    return len(a & b) / len(a | b)


def check_rewrite(copy: CorpusItem, original: CorpusItem) -> None:
    lines, full = paragraphs(copy), paragraphs(original)
    assert lines[0] in (full[0], *[line for line in lines if line not in full])
    assert len([line for line in lines if line not in full]) >= 1
    assert 0.1 <= trigram_jaccard(copy.body, original.body) <= 0.8


def check_lede(copy: CorpusItem, original: CorpusItem) -> None:
    lines, full = paragraphs(copy), paragraphs(original)
    assert lines[1:] == full[1:]
    assert lines[0] != full[0]


def check_shortened(copy: CorpusItem, original: CorpusItem) -> None:
    assert 1 <= len(paragraphs(copy)) < len(paragraphs(original))
    assert len(copy.body.split()) < 0.8 * len(original.body.split())


def check_correction(copy: CorpusItem, original: CorpusItem) -> None:
    lines, full = paragraphs(copy), paragraphs(original)
    assert len(lines) == len(full) + 1
    assert sum(line not in full for line in lines) <= 2
    assert copy.body != original.body


CHECKS: dict[str, Callable[[CorpusItem, CorpusItem], None]] = {
    "headline": check_headline,
    "drop": check_drop,
    "reorder": check_reorder,
    "boilerplate": check_boilerplate,
    "edits": check_edits,
    "truncation": check_truncation,
    "update": check_update,
    "rewrite": check_rewrite,
    "lede": check_lede,
    "shortened": check_shortened,
    "correction": check_correction,
}


def test_rewrites_keep_a_third_to_a_half_of_the_3_word_runs(
    corpus: list[CorpusItem], originals: dict[str, CorpusItem]
) -> None:
    overlaps = sorted(trigram_jaccard(c.body, originals[c.story].body) for c in of_kind(corpus, "rewrite"))
    assert 0.3 <= overlaps[len(overlaps) // 2] <= 0.5


def test_another_agencys_account_shares_names_and_a_lede_but_little_text(
    corpus: list[CorpusItem], originals: dict[str, CorpusItem]
) -> None:
    for item in of_kind(corpus, "agency"):
        story = originals[item.id.split("~")[1]]
        assert item.title == story.title
        assert trigram_jaccard(item.body, story.body) < 0.2


@pytest.mark.parametrize("kind", COPY_KINDS)
def test_copies_are_what_their_kind_says(corpus: list[CorpusItem], originals: dict[str, CorpusItem], kind: str) -> None:
    for copy in of_kind(corpus, kind):
        CHECKS[kind](copy, originals[copy.story])


def test_merged_rewrites_take_about_half_of_each_story(
    corpus: list[CorpusItem], originals: dict[str, CorpusItem]
) -> None:
    for item in of_kind(corpus, "merged"):
        assert item.also_story is not None
        first, second = paragraphs(originals[item.story]), paragraphs(originals[item.also_story])
        lines = paragraphs(item)
        assert all(line in first or line in second for line in lines)
        for story in (first, second):
            taken = sum(len(line.split()) for line in lines if line in story)
            assert 0 < taken < sum(len(line.split()) for line in story)
        assert jaccard(item.body, originals[item.story].body) < 0.5
        assert jaccard(item.body, originals[item.also_story].body) < 0.5


def test_unrelated_items_share_a_lead_but_little_text(
    corpus: list[CorpusItem], originals: dict[str, CorpusItem]
) -> None:
    leads = {story.id: story.sentences[0] for story in load_stories()}
    texts = [shingles(original.body) for original in originals.values()]
    for item in of_kind(corpus, "unrelated"):
        assert item.body.startswith(leads[item.id.split("~")[1]])
        own = shingles(item.body)
        assert max(len(own & text) / len(own | text) for text in texts) < 0.2


def test_same_topic_groups_name_distinct_stories(originals: dict[str, CorpusItem]) -> None:
    for group in SAME_TOPIC.values():
        assert set(group) <= originals.keys()
    for first, second in same_topic_pairs():
        assert jaccard(originals[first].body, originals[second].body) < 0.2


def test_scale_plants_more_copies_of_the_same_stories(corpus: list[CorpusItem]) -> None:
    bigger = build_corpus(7, scale=2)
    assert len({item.id for item in bigger}) == len(bigger)
    assert set(corpus) <= set(bigger)
    assert Counter(i.kind for i in bigger)["original"] == Counter(i.kind for i in corpus)["original"]
    assert len(bigger) > 1.7 * len(corpus)
    with pytest.raises(ValueError, match="scale must be >= 1"):
        build_corpus(7, scale=0)


def test_stories_load_with_paragraphs() -> None:
    stories = load_stories()
    assert sum(len(story.paragraphs) >= 4 for story in stories) >= 0.95 * len(stories)


# The benchmark's scoring, with stand-in clusterers.


def clustering(labels: Sequence[str], also_in: Sequence[tuple[str, ...]] | None = None) -> benchmark.Clustering:
    return benchmark.Clustering(tuple(labels), tuple(also_in or [()] * len(labels)), 1.0, 1.0)


def test_scores_of_exact_body_clustering(corpus: list[CorpusItem]) -> None:
    scores = benchmark.score(corpus, clustering([item.body for item in corpus]))
    assert scores.precision == 1.0
    assert scores.recall["headline"] == 1.0
    assert all(scores.recall[kind] == 0.0 for kind in COPY_KINDS if kind != "headline")
    assert scores.merged_linked == 0.0
    assert scores.unrelated_linked == 0
    assert scores.same_topic_linked == 0


def test_scores_of_the_labels_themselves(corpus: list[CorpusItem]) -> None:
    also = [(item.also_story,) if item.also_story else () for item in corpus]
    scores = benchmark.score(corpus, clustering([item.story for item in corpus], also))
    assert (scores.precision, scores.overall_recall, scores.merged_linked) == (1.0, 1.0, 1.0)
    assert scores.pairs > len(corpus)


def test_scores_of_one_big_cluster(corpus: list[CorpusItem]) -> None:
    scores = benchmark.score(corpus, clustering(["all"] * len(corpus)))
    assert scores.precision < 0.05
    assert scores.overall_recall == 1.0
    assert scores.merged_linked == 1.0
    assert scores.unrelated_linked == len(of_kind(corpus, "unrelated"))
    assert scores.same_topic_linked == len(same_topic_pairs())


def test_pair_precision_matches_counting_every_pair(corpus: list[CorpusItem]) -> None:
    # Clusters by outlet mix stories, merged rewrites and duplicates of both, so every case of the count is met.
    labels = [item.source for item in corpus]
    precision, pairs = benchmark.pair_precision(corpus, labels)
    expected = [
        bool(a.stories & b.stories) for (a, x), (b, y) in combinations(zip(corpus, labels, strict=True), 2) if x == y
    ]
    assert pairs == len(expected)
    assert precision == pytest.approx(sum(expected) / len(expected))


def test_datasketch_baseline_finds_verbatim_copies(corpus: list[CorpusItem]) -> None:
    stories = sorted({item.story for item in corpus if item.kind == "original"})[:15]
    items = [item for item in corpus if item.story in stories and item.kind != "merged"]
    scores = benchmark.score(items, clustering(*benchmark.run_datasketch(items)))
    assert scores.recall["headline"] == 1.0
    assert scores.precision == 1.0


def test_both_clusterers_run_in_turn_and_agree_with_themselves(corpus: list[CorpusItem]) -> None:
    stories = sorted({item.story for item in corpus if item.kind == "original"})[:10]
    items = [item for item in corpus if item.story in stories]
    with Progress(disable=True) as progress:
        ours, theirs = benchmark.run_both(items, progress, repeat=2)
    assert benchmark.score(items, ours).precision == 1.0
    assert ours.seconds > 0 and theirs.first_seconds > 0


def test_shingles_are_lowercased_five_word_windows() -> None:
    assert benchmark.shingles("One two, THREE four five six") == {"one two three four five", "two three four five six"}
    assert benchmark.shingles("Just three words") == {"just three words"}
    assert benchmark.shingles("") == set()
