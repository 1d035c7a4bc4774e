"""Signatures of an article's text: MinHash over word shingles, LSH band keys, and long-sentence hashes.

The algorithm is pinned (`DedupeParams.algorithm`). Words, their 64-bit hashes and sentences come from
`pipeline.dedupe.tokens`; a shingle of k words is the polynomial combination of its word hashes modulo 2**64, run
through a 64-bit finalizer. The signature is one-permutation MinHash (Li, Owen and Zhang 2012): a shingle's hash
picks its slot (high 32 bits, multiply-shift onto P slots) and its value (low 32 bits); each slot keeps its minimum;
an empty slot borrows the value of the next non-empty slot to its right, plus its distance times a fixed offset
(rotation densification, Shrivastava and Li 2014). One hash per shingle instead of P keeps signatures cheap. A band
key combines a band's slots and the band number into one signed 64-bit integer. A long sentence's hash is the
polynomial combination of its word hashes, finalized the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import numpy.typing as npt

from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.terms import SentenceTerms, Terms, sentence_terms
from pipeline.dedupe.tokens import Hashes, Indices, Tokens, finalize, run_hashes, tokenize
from pipeline.dedupe.workers import cores, pool, shutdown
from pipeline.record import WORD

_MIX = np.uint64(0x9E3779B97F4A7C15)
_HALF = np.uint64(32)
_LOW = np.uint64(0xFFFFFFFF)
_ROTATION = np.uint32(0x9E3779B9)
_EMPTY = np.uint32(0xFFFFFFFF)
_CHUNK_CHARACTERS = 1 << 18

log = logging.getLogger(__name__)

Signature = npt.NDArray[np.uint32]
Signatures = npt.NDArray[np.uint32]
"""One signature per row."""


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
    """Hex of a 64-bit hash of the text's words in order: texts equal once normalized (`Article.content_hash`)
    hash the same, for the offline clusterer's exact layer (the warehouse compares `Article.content_hash`)."""
    words: int = 0
    """Number of words in the text."""
    terms: Terms = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))
    """The content terms of each sentence of at least `DedupeParams.sentence_min_terms` content words, distinct
    and increasing within one, sentence after sentence (`pipeline.dedupe.terms`)."""
    sentence_sizes: npt.NDArray[np.uint16] = field(default_factory=lambda: np.zeros(0, dtype=np.uint16))
    """Those sentences' numbers of terms."""
    sentence_keys: frozenset[int] = frozenset()
    """Those sentences' keys: rewritten versions of a sentence tend to share its key."""


def words(text: str) -> list[str]:
    """The text's words, lowercased."""
    return WORD.findall(text.casefold())


def signature(text: str, params: DedupeParams) -> TextSignature:
    """MinHash, band keys and long-sentence hashes of `text`."""
    return _chunk_arrays([text], params).signatures()[0]


def signatures(texts: Sequence[str], params: DedupeParams, *, workers: int | None = None) -> list[TextSignature]:
    """`signature` of each text, in order, computed a chunk of texts at a time on `workers` processes (default:
    one per core; the calling process only gathers)."""
    chunks = _chunks(texts)
    workers = cores() if workers is None else workers
    if workers < 2 or len(chunks) < 2:
        return [one for chunk in chunks for one in _chunk_arrays(chunk, params).signatures()]
    signed: list[TextSignature] = []
    try:
        # Each chunk's objects are built here while the workers sign the next ones.
        for computed in pool(workers).map(_chunk_arrays, chunks, repeat(params)):
            signed += computed.signatures()
    except BrokenProcessPool as error:
        # A worker died (killed for memory, say): the pool is started again next time, this batch goes on here.
        log.warning("dedupe workers stopped (%s); signing %d texts in this process", error, len(texts))
        shutdown()
        signed = [one for chunk in chunks for one in _chunk_arrays(chunk, params).signatures()]
    return signed


def _chunks(texts: Sequence[str]) -> list[list[str]]:
    """The texts in runs of about `_CHUNK_CHARACTERS` characters."""
    chunks: list[list[str]] = []
    chunk: list[str] = []
    size = 0
    for text in texts:
        chunk.append(text)
        size += len(text)
        if size >= _CHUNK_CHARACTERS:
            chunks.append(chunk)
            chunk, size = [], 0
    return [*chunks, chunk] if chunk else chunks


@dataclass(frozen=True, slots=True)
class _ChunkArrays:
    """The signatures of a chunk of texts as a few arrays, cheap to send from a worker process."""

    slots: Signatures
    keys: npt.NDArray[np.int64]
    """One row of band keys per text."""
    shingles: Indices
    words: Indices
    sentences: npt.NDArray[np.int64]
    """Every text's long-sentence hashes, text after text."""
    sentence_bounds: Indices
    """Where each text's sentences start in `sentences`, and their number at the end."""
    content_hashes: Hashes
    """A 64-bit hash of each text's words in order."""
    terms: SentenceTerms
    """The content terms and keys of every text's sentences."""

    def signatures(self) -> list[TextSignature]:
        """One `TextSignature` per text of the chunk, in order."""
        keys, bounds, flat = self.keys.tolist(), self.sentence_bounds.tolist(), self.sentences.tolist()
        content_hashes = [f"{value:016x}" for value in self.content_hashes.tolist()]
        terms = self.terms
        term_bounds, key_bounds = terms.term_bounds.tolist(), terms.sentence_bounds.tolist()
        sentence_keys = terms.keys.tolist()
        signed = []
        for n, (words, shingles) in enumerate(zip(self.words.tolist(), self.shingles.tolist(), strict=True)):
            content_hash = content_hashes[n]
            if words == 0:
                signed.append(TextSignature(np.zeros(0, dtype=np.uint32), 0, (), frozenset(), content_hash, 0))
            else:
                sentences = frozenset(flat[bounds[n] : bounds[n + 1]])
                first, last = key_bounds[n], key_bounds[n + 1]
                signed.append(
                    TextSignature(
                        self.slots[n],
                        shingles,
                        tuple(keys[n]),
                        sentences,
                        content_hash,
                        words,
                        terms.terms[term_bounds[n] : term_bounds[n + 1]],
                        terms.sizes[first:last],
                        frozenset(sentence_keys[first:last]),
                    )
                )
        return signed


def _chunk_arrays(texts: Sequence[str], params: DedupeParams) -> _ChunkArrays:
    tokens = tokenize(texts)
    counts = np.diff(tokens.text_starts)
    shingles, owners = _shingles(tokens, counts, params.shingle_size)
    slots = _one_permutation_minhash(shingles, owners, len(texts), params.permutations)
    sentences, bounds = _long_sentences(tokens, params.sentence_min_words, len(texts))
    return _ChunkArrays(
        slots,
        _band_keys(slots, params),
        np.bincount(owners, minlength=len(texts)),
        counts,
        sentences,
        bounds,
        run_hashes(tokens.hashes, tokens.text_starts[:-1], tokens.text_starts[1:]),
        sentence_terms(tokens, params.sentence_min_terms),
    )


def _long_sentences(tokens: Tokens, min_words: int, texts: int) -> tuple[npt.NDArray[np.int64], Indices]:
    """The signed 64-bit hashes of the sentences of at least `min_words` words, text after text, and where each
    text's start."""
    starts = tokens.sentence_starts
    # A text's end is a sentence end, so the next sentence's start is this one's end, in the same text.
    ends = np.append(starts[1:], tokens.hashes.size)
    long = (ends - starts) >= min_words
    hashes = run_hashes(tokens.hashes, starts[long], ends[long]).view(np.int64)
    owners = np.searchsorted(tokens.text_starts, starts[long], side="right") - 1
    return hashes, np.searchsorted(owners, np.arange(texts + 1))


def _shingles(tokens: Tokens, counts: Indices, size: int) -> tuple[Hashes, Indices]:
    """One hash per run of `size` consecutive words of a text (one for the whole text when it is shorter), and
    the number of the text each belongs to."""
    hashes = tokens.hashes
    owners_of_words = np.repeat(np.arange(counts.size), counts)
    count = max(0, hashes.size - size + 1)
    combined = hashes[:count].copy()
    for offset in range(1, size):
        combined = combined * _MIX + hashes[offset : offset + count]
    # A window is a shingle when its last word is in the same text as its first.
    inside = owners_of_words[:count] == owners_of_words[size - 1 : size - 1 + count]
    shingles, owners = combined[inside], owners_of_words[:count][inside]
    short = np.flatnonzero((counts > 0) & (counts < size))
    if short.size:
        starts = tokens.text_starts[short]
        whole = np.array(
            [_polynomial(hashes[s : s + n]) for s, n in zip(starts, counts[short], strict=True)], dtype=np.uint64
        )
        shingles, owners = np.concatenate((shingles, whole)), np.concatenate((owners, short))
    # Repeated shingles are kept: a minimum over a multiset is the minimum over its set, so the signature is the
    # same without a sort.
    return finalize(shingles), owners


def _polynomial(hashes: Hashes) -> int:
    """The combination `_shingles` makes of a window, for a text shorter than one."""
    combined = 0
    for value in hashes.tolist():
        combined = (combined * int(_MIX) + value) % 2**64
    return combined


def _one_permutation_minhash(shingles: Hashes, owners: Indices, texts: int, size: int) -> Signatures:
    """Per text, its slots (a row of zeros for a text without shingles)."""
    # The high 32 bits pick the slot by multiply-shift (no modulo bias), the low 32 bits are the value.
    slot_of = (((shingles >> _HALF) * np.uint64(size)) >> _HALF).astype(np.intp)
    slots = np.full(texts * size, _EMPTY, dtype=np.uint32)
    np.minimum.at(slots, owners * size + slot_of, (shingles & _LOW).astype(np.uint32))
    return _densify(slots.reshape(texts, size))


def _densify(slots: Signatures) -> Signatures:
    """Each empty slot takes the next filled slot to its right (wrapping), plus its distance times an offset."""
    size = slots.shape[1]
    doubled = np.concatenate((slots, slots), axis=1)
    positions = np.arange(2 * size)
    filled_at = np.where(doubled != _EMPTY, positions, 2 * size)
    # For each slot, the first filled slot at or after it, from a running minimum read right to left.
    after = np.minimum.accumulate(filled_at[:, ::-1], axis=1)[:, ::-1][:, :size]
    empty_rows = after[:, 0] == 2 * size
    after[empty_rows] = positions[:size]
    distance = (after - positions[:size]).astype(np.uint32)
    dense = np.take_along_axis(doubled, after, axis=1) + distance * _ROTATION
    dense[empty_rows] = 0
    return dense.astype(np.uint32)


def _band_keys(slots: Signatures, params: DedupeParams) -> npt.NDArray[np.int64]:
    """Per text, one signed 64-bit key per band: equal keys mean equal slots in that band."""
    rows = slots.reshape(slots.shape[0], params.bands, params.rows).astype(np.uint64)
    keys = np.broadcast_to(np.arange(params.bands, dtype=np.uint64) + np.uint64(1), rows.shape[:2])
    for column in range(params.rows):
        keys = keys * _MIX + rows[:, :, column]
    return keys.view(np.int64)


def band_keys(slots: Signature, params: DedupeParams) -> tuple[int, ...]:
    """One signed 64-bit key per band of one signature: equal keys mean equal slots in that band."""
    return tuple(_band_keys(slots.reshape(1, -1), params)[0].tolist())


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
