"""Signatures: pinned, order-sensitive where it must be, and estimates that track the true overlap."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedupe.minhash import signature, signatures, similarity, words
from pipeline.dedupe.params import DedupeParams
from tests.wire import STORIES as PARAGRAPHS

PARAMS = DedupeParams()
PINNED_SLOTS = [333579951, 1974111478, 3614643005, 3828069525]
PINNED_BAND = 232356589184773903
PINNED_SENTENCE = -2893253854083564227
PINNED_SENTENCE_KEY = 6329903779704674114
STORIES = ["\n".join(paragraphs) for paragraphs in PARAGRAPHS]


def true_jaccard(first: str, second: str, k: int = 5) -> float:
    """Exact Jaccard of the two texts' k-word shingle sets."""
    a, b = (set(zip(*(words(text)[i:] for i in range(k)), strict=False)) for text in (first, second))
    return len(a & b) / len(a | b)


def test_signature_is_pinned() -> None:
    # Stored signatures must stay comparable across releases: a change here needs a new algorithm name.
    sig = signature("The quick brown fox jumps over the lazy dog near the river bank today.", PARAMS)
    assert sig.shingles == 10
    assert sig.minhash.dtype == np.uint32 and sig.minhash.size == PARAMS.permutations
    assert [int(v) for v in sig.minhash[:3]] == [
        int(v)
        for v in signature("the QUICK brown fox, jumps over the lazy dog near the river bank today", PARAMS).minhash[:3]
    ]
    assert len(sig.band_keys) == PARAMS.bands and len(set(sig.band_keys)) == PARAMS.bands


def test_signature_values_are_pinned() -> None:
    # The values of wiredesk-oph/4: if this fails, the algorithm changed and DedupeParams.algorithm must too.
    sig = signature("The quick brown fox jumps over the lazy dog near the river bank today.", PARAMS)
    assert [int(v) for v in sig.minhash[:4]] == PINNED_SLOTS
    assert sig.band_keys[0] == PINNED_BAND and sig.sentences == frozenset({PINNED_SENTENCE})
    assert sig.sentence_keys == frozenset({PINNED_SENTENCE_KEY})
    assert PARAMS.algorithm.startswith("wiredesk-oph/4 ")


def test_a_batch_gives_each_text_its_own_signature() -> None:
    texts = [*STORIES, "", "One word", "Straße und Übermut in 𝔘nicode, twice: Straße und Übermut in 𝔘nicode."]
    for text, batched in zip(texts, signatures(texts, PARAMS), strict=True):
        alone = signature(text, PARAMS)
        assert np.array_equal(batched.minhash, alone.minhash)
        assert (batched.band_keys, batched.sentences, batched.shingles) == (
            alone.band_keys,
            alone.sentences,
            alone.shingles,
        )
        assert (batched.content_hash, batched.words) == (alone.content_hash, alone.words)


def test_identical_texts_share_every_band_and_unrelated_ones_none() -> None:
    first, second = signature(STORIES[0], PARAMS), signature(STORIES[1], PARAMS)
    assert signature(STORIES[0], PARAMS).band_keys == first.band_keys
    assert not set(first.band_keys) & set(second.band_keys)
    assert similarity(first, second)[0] < 0.1


def test_estimates_track_the_true_jaccard() -> None:
    text = STORIES[2]
    paragraphs = text.split("\n")
    for keep in (1.0, 0.8, 0.6, 0.4):
        part = "\n".join(paragraphs[: max(1, int(len(paragraphs) * keep))])
        estimated, containment = similarity(signature(text, PARAMS), signature(part, PARAMS))
        assert abs(estimated - true_jaccard(text, part)) < 0.15
        assert containment > 0.8


def test_long_sentences_are_hashed_and_short_ones_are_not() -> None:
    text = "Short one. " + "This sentence has comfortably more than ten words in it, so it counts. " * 2
    assert len(signature(text, PARAMS).sentences) == 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_a_signature_without_error(text: str) -> None:
    sig = signature(text, PARAMS)
    if words(text):
        assert sig.minhash.size == PARAMS.permutations and len(sig.band_keys) == PARAMS.bands
    else:
        assert sig.shingles == 0 and sig.band_keys == ()


def test_texts_with_the_same_words_share_a_content_hash() -> None:
    first, second, third = signatures(
        ["Talks in Geneva — ended.", "talks  in GENEVA ended!", "Talks in Geneva ended early."], PARAMS
    )
    assert first.content_hash == second.content_hash != third.content_hash
