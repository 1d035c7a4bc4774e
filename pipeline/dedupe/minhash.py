"""Signatures of an article's text: MinHash over word shingles, LSH band keys, and long-sentence hashes.

The algorithm is pinned (`DedupeParams.algorithm`). Words are lowercased `\\w+` runs hashed with CRC-32; a shingle
of k words is the polynomial combination of its word hashes modulo 2**64, then mixed by multiply-shift with fixed
odd constants. The signature is one-permutation MinHash (Li, Owen and Zhang 2012): a shingle's mixed hash picks its
slot (hash mod P) and its value (the high 32 bits); each slot keeps its minimum; an empty slot borrows the value of
the next non-empty slot to its right, plus its distance times a fixed offset (rotation densification, Shrivastava
and Li 2014). One hash per shingle instead of P keeps signatures cheap. A band key combines a band's slots and the
band number into one signed 64-bit integer.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from pipeline.dedupe.params import DedupeParams

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX_A = np.uint64(0xD6E8FEB86659FD93)
_MIX_B = np.uint64(0xA0761D6478BD642F)
_ROTATION = np.uint32(0x9E3779B9)
_EMPTY = np.uint32(0xFFFFFFFF)

Signature = npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True)
class TextSignature:
    """What dedupe needs to know of one text."""

    minhash: Signature
    """MinHash slots; empty when the text has no words."""
    shingles: int
    """Number of distinct shingles, for containment estimates."""
    band_keys: tuple[int, ...]
    """One LSH key per band."""
    sentences: frozenset[int]
    """Hashes of the long sentences."""


def words(text: str) -> list[str]:
    """The text's words, lowercased."""
    return _WORD.findall(text.casefold())


def signature(text: str, params: DedupeParams) -> TextSignature:
    """MinHash, band keys and long-sentence hashes of `text`."""
    tokens, sentences = _tokens_and_sentences(text, params.sentence_min_words)
    shingles = _shingles(tokens, params.shingle_size)
    if shingles.size == 0:
        return TextSignature(np.zeros(0, dtype=np.uint32), 0, (), frozenset())
    slots = _one_permutation_minhash(shingles, params.permutations)
    return TextSignature(slots, int(shingles.size), band_keys(slots, params), sentences)


def _tokens_and_sentences(text: str, min_words: int) -> tuple[list[str], frozenset[int]]:
    """The text's words, and the hashes of its long sentences, in one pass of the tokenizer."""
    tokens: list[str] = []
    sentences = set()
    for sentence in _SENTENCE_END.split(text.casefold()):
        sentence_tokens = _WORD.findall(sentence)
        tokens += sentence_tokens
        if len(sentence_tokens) >= min_words:
            digest = hashlib.blake2b(" ".join(sentence_tokens).encode(), digest_size=8).digest()
            sentences.add(int.from_bytes(digest, "big", signed=True))
    return tokens, frozenset(sentences)


def _shingles(tokens: list[str], size: int) -> npt.NDArray[np.uint64]:
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.fromiter(map(_word_hash, tokens), dtype=np.uint64, count=len(tokens))
    width = min(size, len(tokens))
    count = len(tokens) - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        combined = combined * _MIX + hashes[offset : offset + count]
    return np.unique(combined)


@lru_cache(maxsize=1 << 20)
def _word_hash(word: str) -> int:
    # News vocabulary repeats across articles, so a cache saves most of the encoding and CRC work.
    return zlib.crc32(word.encode())


def _one_permutation_minhash(shingles: npt.NDArray[np.uint64], size: int) -> Signature:
    mixed = shingles * _MIX_A + _MIX_B
    slots_of = (mixed % np.uint64(size)).astype(np.intp)
    values = (mixed >> np.uint64(32)).astype(np.uint32)
    slots = np.full(size, _EMPTY, dtype=np.uint32)
    np.minimum.at(slots, slots_of, values)
    return _densify(slots)


def _densify(slots: Signature) -> Signature:
    filled = np.flatnonzero(slots != _EMPTY)
    if filled.size == slots.size:
        return slots
    size = slots.size
    positions = np.arange(size)
    # For each slot, the first filled slot at or after it, wrapping around.
    after = filled[np.searchsorted(filled, positions) % filled.size]
    distance = ((after - positions) % size).astype(np.uint32)
    return (slots[after] + distance * _ROTATION).astype(np.uint32)


def band_keys(slots: Signature, params: DedupeParams) -> tuple[int, ...]:
    """One signed 64-bit key per band: equal keys mean equal slots in that band."""
    rows = slots.reshape(params.bands, params.rows).astype(np.uint64)
    keys = np.arange(params.bands, dtype=np.uint64) + np.uint64(1)
    for column in range(params.rows):
        keys = keys * _MIX + rows[:, column]
    return tuple(int(key) for key in keys.view(np.int64))


def sentence_hashes(text: str, params: DedupeParams) -> frozenset[int]:
    """Signed 64-bit hashes of the sentences of at least `sentence_min_words` words, normalized."""
    return _tokens_and_sentences(text, params.sentence_min_words)[1]


def similarity(first: TextSignature, second: TextSignature) -> tuple[float, float]:
    """Estimated Jaccard of the two shingle sets, and the containment of the smaller one in the larger."""
    if first.shingles == 0 or second.shingles == 0:
        return 0.0, 0.0
    jaccard = float(np.count_nonzero(first.minhash == second.minhash)) / first.minhash.size
    # |A ∩ B| = J (|A| + |B|) / (1 + J), divided by the smaller set.
    shared = jaccard * (first.shingles + second.shingles) / (1 + jaccard)
    return jaccard, min(1.0, shared / min(first.shingles, second.shingles))


def is_copy(first: TextSignature, second: TextSignature, params: DedupeParams) -> bool:
    """True when the two texts are copies of one story by Jaccard or containment."""
    jaccard, containment = similarity(first, second)
    return jaccard >= params.jaccard or containment >= params.containment
