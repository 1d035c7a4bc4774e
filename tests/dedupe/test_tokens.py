"""The vectorised tokenizer agrees with the regular expressions it replaces, text by text and in a batch."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedupe.tokens import finalize, tokenize
from pipeline.record import WORD
from tests.wire import STORIES

# A sentence ends at a line break, or at whitespace after . ! or ? and any closing quotes or brackets.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n")

# Letters that fold to several (ß, ligatures), letters beyond the BMP, NUL, quotes, line breaks, marks.
ALPHABET = st.sampled_from([*list("aZ9 .!?\n\"'”’)]ßﬁİΣς\x00\x01_-,"), "𝔘", "😀", "Ǆ", "\xa0", "\u2029"])
TEXTS = st.lists(st.one_of(st.text(max_size=80), st.text(ALPHABET, max_size=80)), max_size=6)


def word_hash(word: str) -> int:
    """The word's hash as the module describes it: its UTF-16 code units as base-B digits modulo 2**64, finalized."""
    value = 0
    for unit in np.frombuffer(word.encode("utf-16-le"), dtype=np.uint16).tolist():
        value = (value * 0x100000001B3 + unit) % 2**64
    return int(finalize(np.array([value], dtype=np.uint64))[0])


def sentence_lengths(text: str) -> list[int]:
    """Words per sentence by the reference rule, leaving out sentences without words."""
    return [n for n in (len(WORD.findall(part)) for part in SENTENCE_END.split(text.casefold())) if n]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_words_their_hashes_and_sentences_match_the_reference(texts: list[str]) -> None:
    tokens = tokenize(texts)
    assert tokens.text_starts.size == len(texts) + 1
    for n, text in enumerate(texts):
        first, end = int(tokens.text_starts[n]), int(tokens.text_starts[n + 1])
        assert tokens.hashes[first:end].tolist() == [word_hash(w) for w in WORD.findall(text.casefold())]
        starts = [int(s) for s in tokens.sentence_starts if first <= s < end]
        assert np.diff([*starts, end]).tolist() == sentence_lengths(text.replace("\x00", "\x01"))


def test_a_word_hashes_the_same_wherever_it_stands() -> None:
    tokens = tokenize(["Doha said Doha", "DOHA"])
    assert len(set(tokens.hashes.tolist())) == 2
    assert tokens.hashes[0] == tokens.hashes[2] == tokens.hashes[3]


def test_a_batch_gives_each_text_what_it_gets_alone() -> None:
    texts = ["\n".join(story) for story in STORIES] + ["", "Straße in 𝔘nicode."]
    together = tokenize(texts)
    for n, text in enumerate(texts):
        alone = tokenize([text])
        first, end = together.text_starts[n], together.text_starts[n + 1]
        assert together.hashes[first:end].tolist() == alone.hashes.tolist()
