"""The second stage's scorer: how many of one article's sentences have a near match in another's.

Two versions of one story (an update that adds, drops and rewrites paragraphs; a rewrite to another length) keep
most of the shorter one's sentences recognisable: each has a sentence in the other holding at least
`DedupeParams.aligned_share` of its content words. Two stories on the same subject and day (a second agency's
account of one event among them) share names, numbers and a quote or two, but fewer whole sentences. The score is
the share of the shorter article's sentences (fewer sentences) that have a near match.

Every pair of a batch is scored at once with numpy: each content word of the shorter article's sentences is looked
up among the other article's (sorted by article and word), the matches counted per pair of sentences, and the
best count of each sentence compared with its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pipeline.dedupe.minhash import TextSignature

Counts = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Alignment:
    """How two articles' sentences align."""

    aligned: int
    """Sentences of the shorter article with a near match in the other."""
    sentences: int
    """Sentences of the shorter article (those compared)."""

    @property
    def score(self) -> float:
        """The share of the shorter article's sentences with a near match."""
        return self.aligned / self.sentences if self.sentences else 0.0


def align(first: TextSignature, second: TextSignature, share: float) -> Alignment:
    """How many of the shorter article's sentences have a sentence in the other holding `share` of their terms."""
    aligned, sentences = align_pairs([first, second], np.array([0]), np.array([1]), share)
    return Alignment(int(aligned[0]), int(sentences[0]))


def align_pairs(
    signatures: Sequence[TextSignature], first: Counts, second: Counts, share: float
) -> tuple[Counts, Counts]:
    """For each pair first[i] - second[i] (indices into `signatures`), how many of the shorter article's sentences
    have a near match in the other, and how many sentences the shorter article has."""
    docs, where = np.unique(np.concatenate((first, second)), return_inverse=True)
    one, other = where[: first.size], where[first.size :]
    table = _SentenceTable.of([signatures[d] for d in docs.tolist()])
    counts = table.sentence_counts
    swap = counts[other] < counts[one]
    shorter, longer = np.where(swap, other, one), np.where(swap, one, other)
    # Every term of the shorter article's sentences, once per pair.
    pair, entry = _expand(table.entry_starts[shorter], table.entry_starts[shorter + 1])
    keys = longer[pair].astype(np.int64) << 32 | table.terms[entry].astype(np.int64)
    at = np.minimum(np.searchsorted(table.keys, keys), table.keys.size - 1)
    low = table.key_starts[at]
    high = np.where(table.keys[at] == keys, table.key_starts[at + 1], low)
    query, match = _expand(low, high)
    sentence = table.entry_sentence[entry[query]]
    found = table.entry_sentence[table.order[match]]
    size = np.int64(max(1, table.sentence_sizes.size))
    codes = np.sort((pair[query].astype(np.int64) * size + sentence) * size + found)
    aligned = np.zeros(first.size, dtype=np.intp)
    if codes.size:
        starts = np.flatnonzero(np.diff(codes, prepend=codes[0] - 1))
        shared = np.diff(np.append(starts, codes.size))
        groups = codes[starts] // size
        group_starts = np.flatnonzero(np.diff(groups, prepend=groups[0] - 1))
        best = np.maximum.reduceat(shared, group_starts)
        pair_sentence = groups[group_starts]
        near = best >= share * table.sentence_sizes[pair_sentence % size]
        aligned = np.bincount(pair_sentence[near] // size, minlength=first.size).astype(np.intp)
    return aligned, counts[shorter].astype(np.intp)


@dataclass(frozen=True, slots=True)
class _SentenceTable:
    """The sentences of a few articles as flat arrays, and their terms sorted by (article, term) for lookups."""

    terms: npt.NDArray[np.uint32]
    """Every article's terms, sentence after sentence, article after article."""
    entry_sentence: Counts
    """Each term's sentence, numbered across articles."""
    entry_starts: Counts
    """Where each article's terms start, and their number at the end."""
    sentence_sizes: npt.NDArray[np.float64]
    """Each sentence's number of terms."""
    sentence_counts: Counts
    """Each article's number of sentences."""
    order: Counts
    """The terms in (article, term) order."""
    keys: npt.NDArray[np.int64]
    """The distinct keys (article << 32 | term), increasing..."""
    key_starts: Counts
    """...where each one's terms start in `order`, and their number at the end."""

    @classmethod
    def of(cls, signatures: Sequence[TextSignature]) -> _SentenceTable:
        """The table of the given articles."""
        sizes = [s.sentence_sizes.astype(np.intp) for s in signatures]
        sentence_counts = np.array([len(s) for s in sizes], dtype=np.intp)
        sentence_sizes = np.concatenate([np.zeros(0, dtype=np.intp), *sizes])
        terms = np.concatenate([np.zeros(0, dtype=np.uint32), *(s.terms for s in signatures)])
        entry_counts = np.array([s.terms.size for s in signatures], dtype=np.intp)
        entry_starts = np.append(0, np.cumsum(entry_counts))
        entry_sentence = np.repeat(np.arange(sentence_sizes.size), sentence_sizes)
        owner = np.repeat(np.arange(len(signatures)), entry_counts).astype(np.int64)
        keys = owner << 32 | terms.astype(np.int64)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.diff(ordered, prepend=-1)) if ordered.size else np.zeros(0, dtype=np.intp)
        # An empty table still answers lookups: one key no article has.
        distinct = ordered[starts] if ordered.size else np.full(1, -1, dtype=np.int64)
        key_starts = np.append(starts, ordered.size) if ordered.size else np.zeros(2, dtype=np.intp)
        sizes_float = sentence_sizes.astype(np.float64)
        return cls(terms, entry_sentence, entry_starts, sizes_float, sentence_counts, order, distinct, key_starts)


def _expand(starts: Counts, ends: Counts) -> tuple[Counts, Counts]:
    """For each range starts[i]:ends[i], its number i and each index in it, range after range."""
    lengths = np.maximum(ends - starts, 0)
    owners = np.repeat(np.arange(starts.size), lengths)
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return owners, starts[owners] + offsets
