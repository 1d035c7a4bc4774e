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
import multiprocessing
import os
import re
import zlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import numpy.typing as npt

from pipeline.dedupe.params import DedupeParams
from pipeline.record import WORD

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX_A = np.uint64(0xD6E8FEB86659FD93)
_MIX_B = np.uint64(0xA0761D6478BD642F)
_ROTATION = np.uint32(0x9E3779B9)
_EMPTY = np.uint32(0xFFFFFFFF)
_WORD_CACHE_LIMIT = 4_000_000
_PARALLEL_FROM = 1000

Signature = npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True)
class TextSignature:
    """What dedupe needs to know of one text."""

    minhash: Signature
    """MinHash slots; empty when the text has no words."""
    shingles: int
    """Number of shingles (positions; news text rarely repeats a 5-word run), for containment estimates."""
    band_keys: tuple[int, ...]
    """One LSH key per band."""
    sentences: frozenset[int]
    """Hashes of the long sentences."""
    content_hash: str = ""
    """Hex SHA-256 of the normalized text, as `Article.content_hash` computes it."""
    words: int = 0
    """Number of words in the text."""


def words(text: str) -> list[str]:
    """The text's words, lowercased."""
    return WORD.findall(text.casefold())


def signature(text: str, params: DedupeParams) -> TextSignature:
    """MinHash, band keys and long-sentence hashes of `text`."""
    tokens, sentences = _tokens_and_sentences(text, params.sentence_min_words)
    content_hash = hashlib.sha256(" ".join(tokens).encode()).hexdigest()
    shingles = _shingles(tokens, params.shingle_size)
    if shingles.size == 0:
        return TextSignature(np.zeros(0, dtype=np.uint32), 0, (), frozenset(), content_hash, len(tokens))
    slots = _one_permutation_minhash(shingles, params.permutations)
    keys = band_keys(slots, params)
    return TextSignature(slots, int(shingles.size), keys, sentences, content_hash, len(tokens))


def signatures(texts: Sequence[str], params: DedupeParams, workers: int | None = None) -> list[TextSignature]:
    """`signature` of each text, in order, spread over `workers` processes (default: one per core) when the
    batch is large enough to pay for them."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(texts) < _PARALLEL_FROM:
        return [signature(text, params) for text in texts]
    chunk = -(-len(texts) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(signature, texts, repeat(params), chunksize=chunk))


def _tokens_and_sentences(text: str, min_words: int) -> tuple[list[str], frozenset[int]]:
    """The text's words, and the hashes of its long sentences, in one pass of the tokenizer."""
    tokens: list[str] = []
    sentences = set()
    for sentence in _SENTENCE_END.split(text.casefold()):
        sentence_tokens = WORD.findall(sentence)
        tokens += sentence_tokens
        if len(sentence_tokens) >= min_words:
            digest = hashlib.blake2b(" ".join(sentence_tokens).encode(), digest_size=8).digest()
            sentences.add(int.from_bytes(digest, "big", signed=True))
    return tokens, frozenset(sentences)


def _shingles(tokens: list[str], size: int) -> npt.NDArray[np.uint64]:
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    hashes = _word_hashes(tokens)
    width = min(size, len(tokens))
    count = len(tokens) - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        combined = combined * _MIX + hashes[offset : offset + count]
    # Repeated shingles are kept: a minimum over a multiset is the minimum over its set, so the signature is the
    # same, and skipping the sort saves a sixth of the signature's cost.
    return combined


_WORD_HASHES: dict[str, int] = {}


def _word_hashes(tokens: list[str]) -> npt.NDArray[np.uint64]:
    # News vocabulary repeats across articles: a plain dict lookup is several times cheaper than CRC-32 of the
    # encoded word. The cache is dropped when it grows past a few million words.
    known = _WORD_HASHES
    if len(known) > _WORD_CACHE_LIMIT:
        known.clear()
    for token in set(tokens).difference(known):
        known[token] = zlib.crc32(token.encode())
    return np.fromiter(map(known.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


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
