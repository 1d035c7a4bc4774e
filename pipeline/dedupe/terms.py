"""The content words of each sentence, and one key per sentence that rewritten versions of it tend to share.

A rewrite keeps few 5-word runs of the text it rewrites but most of each sentence's content words (the words left
once function words are dropped): wire copies rewritten to another length or register share a third of their
5-word shingles or less, yet most of the shorter one's sentences have a sentence in the other holding half of
their content words. So the second stage of dedupe compares sentences as sets of content words
(`pipeline.dedupe.alignment`), and finds the pairs worth comparing through sentence keys: a sentence's key
combines its two smallest content-word hashes, so two sentences sharing a fraction j of their content words share
their key with a probability of about j squared (bottom-2 sketch), while sentences of different stories rarely do.

A term is the high 32 bits of a word's 64-bit hash (`pipeline.dedupe.tokens`): two content words of one article
collide with a probability of about 1e-7, which costs a rare spurious word match and nothing else. Keys are made of
the top 40 bits of the hashes, and a chunk of texts holds fewer than 2**24 sentences (a chunk is about 2**18
characters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pipeline.dedupe.tokens import Hashes, Indices, Tokens, finalize, tokenize

_MIX = np.uint64(0x9E3779B97F4A7C15)
# A sort key holds a sentence's number in its top 24 bits and a word hash's top 40 bits below: a term is the top
# 32 bits of the hash, bits 8-39 of the key.
_SENTENCE_SHIFT = np.uint64(40)
_SENTENCE_SHIFT_HASH = np.uint64(24)
_WORD_BITS = np.uint64((1 << 40) - 1)
_TERM_SHIFT = np.uint64(8)
Terms = npt.NDArray[np.uint32]

# English function words, and the reporting verbs every wire story repeats: words that say nothing of the story.
FUNCTION_WORDS = (
    "a about above after again against all also am an and any are as at be because been before being below "
    "between both but by can could did do does doing down during each few for from further had has have having he "
    "her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor "
    "not now of off on once only or other our ours ourselves out over own same she should so some such than that "
    "the their theirs them themselves then there these they this those through to too under until up very was we "
    "were what when where which while who whom why will with would you your yours yourself yourselves said says "
    "say told according also would may might must shall one two new last first year years"
)


def _function_table() -> tuple[Hashes, np.uint64]:
    """A table of the function words' hashes, indexed by 16 bits of a hash (the lowest window of 16 bits in which
    no two function words agree), and the shift to that window: one lookup per word tells a function word."""
    hashes = np.unique(tokenize([FUNCTION_WORDS]).hashes)
    for shift in range(0, 49):
        slots = (hashes >> np.uint64(shift)) & _SLOT_BITS
        if np.unique(slots).size == hashes.size:
            # Empty slots hold a function word's hash, which lands in its own slot: they match no word.
            table = np.full(int(_SLOT_BITS) + 1, hashes[0], dtype=np.uint64)
            table[slots.astype(np.intp)] = hashes
            return table, np.uint64(shift)
    raise RuntimeError("no 16-bit window tells the function words apart")


_SLOT_BITS = np.uint64(0xFFFF)
_FUNCTION, _FUNCTION_SHIFT = _function_table()


@dataclass(frozen=True, slots=True)
class SentenceTerms:
    """The content words of the sentences of many texts, text after text."""

    terms: Terms
    """Each kept sentence's distinct content terms, in increasing order, sentence after sentence."""
    sizes: npt.NDArray[np.uint16]
    """Each kept sentence's number of terms."""
    keys: npt.NDArray[np.int64]
    """Each kept sentence's key."""
    term_bounds: Indices
    """Where each text's terms start in `terms`, and their number at the end."""
    sentence_bounds: Indices
    """Where each text's sentences start in `sizes` and `keys`, and their number at the end."""


def sentence_terms(tokens: Tokens, min_terms: int) -> SentenceTerms:
    """The sentences of at least `min_terms` content words of each text of `tokens`, as sets of terms and keys."""
    hashes = tokens.hashes
    texts = tokens.text_starts.size - 1
    lengths = np.diff(np.append(tokens.sentence_starts, hashes.size))
    sentence_of = np.repeat(np.arange(tokens.sentence_starts.size, dtype=np.uint64), lengths)
    content = ~_is_function(hashes)
    # One sort of (sentence, top 40 bits of the hash) puts each sentence's words in increasing order, repeats side
    # by side and its two smallest first (a sort of one 64-bit key is several times faster than a lexsort of two).
    keys = np.sort(sentence_of[content] << _SENTENCE_SHIFT | hashes[content] >> _SENTENCE_SHIFT_HASH)
    keys = keys[np.append(True, keys[1:] != keys[:-1])] if keys.size else keys
    sentences = (keys >> _SENTENCE_SHIFT).astype(np.intp)
    words = keys & _WORD_BITS
    starts = np.flatnonzero(np.diff(sentences, prepend=-1)) if words.size else np.zeros(0, dtype=np.intp)
    sizes = np.diff(np.append(starts, words.size))
    kept = sizes >= min_terms
    keep_words = np.repeat(kept, sizes)
    sentence_keys = finalize(words[starts[kept]] * _MIX + words[starts[kept] + 1]).view(np.int64)
    owners = np.searchsorted(tokens.text_starts, tokens.sentence_starts[sentences[starts[kept]]], side="right") - 1
    term_owners = np.repeat(owners, sizes[kept])
    return SentenceTerms(
        (words[keep_words] >> _TERM_SHIFT).astype(np.uint32),
        sizes[kept].astype(np.uint16),
        sentence_keys,
        np.searchsorted(term_owners, np.arange(texts + 1)),
        np.searchsorted(owners, np.arange(texts + 1)),
    )


def _is_function(hashes: Hashes) -> npt.NDArray[np.bool_]:
    found: npt.NDArray[np.bool_] = _FUNCTION[((hashes >> _FUNCTION_SHIFT) & _SLOT_BITS).astype(np.intp)] == hashes
    return found
