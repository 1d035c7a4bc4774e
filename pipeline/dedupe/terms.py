"""The content words of each sentence, and one key per sentence that rewritten versions of it tend to share.

A rewrite keeps few 5-word runs of the text it rewrites but most of each sentence's content words (the words left
once function words are dropped): wire copies rewritten to another length or register share a third of their
5-word shingles or less, yet most of the shorter one's sentences have a sentence in the other holding half of
their content words. So the second stage of dedupe compares sentences as sets of content words
(`pipeline.dedupe.alignment`), and finds the pairs worth comparing through sentence keys: a sentence's key
combines its two smallest content-word hashes, so two sentences sharing a fraction j of their content words share
their key with a probability of about j squared (bottom-2 sketch), while sentences of different stories rarely do.

A term is the high 32 bits of a word's 64-bit hash (`pipeline.dedupe.tokens`): two content words of one article
collide with a probability of about 1e-7, which costs a rare spurious word match and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pipeline.dedupe.tokens import Hashes, Indices, Tokens, finalize, tokenize

_MIX = np.uint64(0x9E3779B97F4A7C15)
_HALF = np.uint64(32)
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


def _function_hashes() -> Hashes:
    """The word hashes of the function words, sorted."""
    return np.sort(tokenize([FUNCTION_WORDS]).hashes)


_FUNCTION = _function_hashes()


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
    sentence_of = np.searchsorted(tokens.sentence_starts, np.arange(hashes.size), side="right") - 1
    content = ~_is_function(hashes)
    words, sentences = hashes[content], sentence_of[content]
    # Sorted by sentence, then by hash: repeats sit side by side, and each sentence's two smallest hashes lead it.
    order = np.lexsort((words, sentences))
    words, sentences = words[order], sentences[order]
    first = np.ones(words.size, dtype=bool)
    first[1:] = (words[1:] != words[:-1]) | (sentences[1:] != sentences[:-1])
    words, sentences = words[first], sentences[first]
    starts = np.flatnonzero(np.diff(sentences, prepend=-1)) if words.size else np.zeros(0, dtype=np.intp)
    sizes = np.diff(np.append(starts, words.size))
    kept = sizes >= min_terms
    keep_words = np.repeat(kept, sizes)
    keys = finalize(words[starts[kept]] * _MIX + words[starts[kept] + 1]).view(np.int64)
    owners = np.searchsorted(tokens.text_starts, tokens.sentence_starts[sentences[starts[kept]]], side="right") - 1
    term_owners = np.repeat(owners, sizes[kept])
    return SentenceTerms(
        (words[keep_words] >> _HALF).astype(np.uint32),
        sizes[kept].astype(np.uint16),
        keys,
        np.searchsorted(term_owners, np.arange(texts + 1)),
        np.searchsorted(owners, np.arange(texts + 1)),
    )


def _is_function(hashes: Hashes) -> npt.NDArray[np.bool_]:
    at = np.minimum(np.searchsorted(_FUNCTION, hashes), _FUNCTION.size - 1)
    found: npt.NDArray[np.bool_] = _FUNCTION[at] == hashes
    return found
