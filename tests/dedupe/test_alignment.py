"""The second stage's scorer, and the content words and sentence keys it works on."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.dedupe.alignment import align, align_pairs
from pipeline.dedupe.minhash import TextSignature, signature
from pipeline.dedupe.params import DedupeParams
from tests.wire import STORIES, reworded

PARAMS = DedupeParams()


def sets(text: str) -> TextSignature:
    return signature(text, PARAMS)


def test_function_words_are_left_out_and_each_sentence_keeps_its_words_once() -> None:
    sig = signature("The talks in Geneva ended, and the talks in Geneva will resume in Vienna.", PARAMS)
    assert sig.sentence_sizes.tolist() == [5]  # talks, geneva, ended, resume, vienna
    assert sig.terms.tolist() == sorted(sig.terms.tolist())


def test_sentences_with_too_few_content_words_are_not_compared_or_keyed() -> None:
    sig = signature("He said it was so.\nMoscow denied the plan on Friday.", PARAMS)
    assert sig.sentence_sizes.tolist() == [4]
    assert len(sig.sentence_keys) == 1


def test_a_sentence_keeps_its_key_when_function_words_and_order_change() -> None:
    first = signature("Russian troops massed near the Ukrainian border on Friday.", PARAMS)
    second = signature("On Friday, Russian troops were massed by the border, Ukrainian officials said.", PARAMS)
    other = signature("Oil prices fell sharply on Tuesday on oversupply concerns.", PARAMS)
    assert first.sentence_keys == second.sentence_keys
    assert first.sentence_keys.isdisjoint(other.sentence_keys)


@pytest.mark.parametrize("story", range(len(STORIES)))
def test_a_reworded_version_aligns_almost_every_sentence(story: int) -> None:
    original = "\n".join(STORIES[story])
    found = align(sets(original), sets("\n".join(reworded(STORIES[story][:-2]))), PARAMS.aligned_share)
    assert found.score >= 0.85
    assert found.sentences == len(signature("\n".join(reworded(STORIES[story][:-2])), PARAMS).sentence_sizes)


@pytest.mark.parametrize("story", range(len(STORIES)))
def test_other_stories_align_almost_nothing(story: int) -> None:
    mine = sets("\n".join(STORIES[story]))
    for other in range(len(STORIES)):
        if other != story:
            assert align(mine, sets("\n".join(STORIES[other])), PARAMS.aligned_share).score < 0.1


def test_the_score_is_the_share_of_the_shorter_articles_sentences() -> None:
    long = "\n".join(STORIES[1])
    short = "\n".join(STORIES[1][:3])
    found = align(sets(long), sets(short), PARAMS.aligned_share)
    assert found.sentences == len(signature(short, PARAMS).sentence_sizes)
    assert (found.aligned, found.score) == (found.sentences, 1.0)
    assert align(sets(""), sets(long), PARAMS.aligned_share).score == 0.0


def test_a_batch_of_pairs_scores_as_each_pair_alone() -> None:
    texts = [*("\n".join(story) for story in STORIES), "\n".join(reworded(STORIES[1][:-2])), ""]
    signed = [sets(text) for text in texts]
    first = np.array([0, 6, 1, 6, 2, 7, 6])
    second = np.array([1, 1, 6, 3, 2, 0, 1])
    aligned, sentences = align_pairs(signed, first, second, PARAMS.aligned_share)
    alone = [align(signed[a], signed[b], PARAMS.aligned_share) for a, b in zip(first, second, strict=True)]
    assert aligned.tolist() == [found.aligned for found in alone]
    assert sentences.tolist() == [found.sentences for found in alone]
    assert aligned[1] == aligned[2] > 0 and aligned[4] == sentences[4] and sentences[5] == 0
