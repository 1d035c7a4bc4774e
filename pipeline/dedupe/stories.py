"""Group copies into stories: candidate pairs, copy edges, connected components and the canonical copy.

Pure functions over `Member`s, through which the planner (`pipeline.dedupe.planner`) places the offline
clusterer's copies and the warehouse's batches alike, so both give the same stories for the same articles whatever
order they arrive in:

- two articles are copies when their bodies hash the same, or their signatures pass `is_copy` (the first stage),
  or, published within `DedupeParams.rewrite_window_hours` of each other, enough of their sentences align
  (`pipeline.dedupe.alignment`: an update or a rewrite, the second stage); a story is a connected component of
  that relation, so a new article that copies two stories merges them;
- the canonical copy of a story is the earliest published (unknown times last), then the longest, then the
  smallest key;
- a merged rewrite (`pipeline.dedupe.rewrites`) joins a story only as a near-identical copy (Jaccard), never by
  containment, so it cannot bridge the stories it was built from; it is linked to each of them instead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from pipeline.dedupe.alignment import align_pairs
from pipeline.dedupe.minhash import TextSignature
from pipeline.dedupe.params import DedupeParams

K = TypeVar("K", str, int)
IndexPairs = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]
"""Pairs as two arrays of indices into a sequence of members."""
G = TypeVar("G", str, int)
_NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Member(Generic[K]):
    """One article as dedupe sees it."""

    key: K
    """The article's identity (warehouse id, or the offline input's id)."""
    published_at: datetime | None
    words: int
    content_hash: str
    signature: TextSignature

    @property
    def age_order(self) -> tuple[bool, datetime, int, K]:
        """Sort key: earliest first, unknown times last, then the longest, then by key."""
        return (self.published_at is None, self.published_at or _NEVER, -self.words, self.key)


def candidate_pairs(members: Sequence[Member[K]], params: DedupeParams) -> IndexPairs:
    """Pairs of members (indices into `members`, each pair once) sharing a body hash, an LSH band, a long
    sentence, or a sentence key."""
    hash_ids: dict[str, int] = {}
    content = np.array([hash_ids.setdefault(m.content_hash, len(hash_ids)) for m in members], dtype=np.int64)
    size = max(1, len(members))
    codes = np.concatenate(
        (
            _bucket_pairs(content, np.arange(len(members)), size),
            _bucket_pairs(*flatten([m.signature.band_keys for m in members]), size),
            _bucket_pairs(*flatten([m.signature.sentences for m in members]), size, params.common_sentence_limit),
            _bucket_pairs(*flatten([m.signature.sentence_keys for m in members]), size, params.common_sentence_limit),
        )
    )
    codes = distinct(codes)
    return codes // size, codes % size


def flatten(values: Sequence[Collection[int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """All values in one array, and the index of the collection each came from."""
    lengths = np.fromiter(map(len, values), dtype=np.intp, count=len(values))
    flat = np.fromiter(chain.from_iterable(values), dtype=np.int64, count=int(lengths.sum()))
    return flat, np.repeat(np.arange(len(values)), lengths)


def _bucket_pairs(
    values: npt.NDArray[np.int64], owners: npt.NDArray[np.intp], size: int, limit: int | None = None
) -> npt.NDArray[np.int64]:
    """Every pair of distinct owners sharing a value (in buckets of at most `limit` owners), coded as
    smaller * size + larger."""
    # Owners come in increasing order, and a stable sort keeps them so within each value.
    order = np.argsort(values, kind="stable")
    values, owners = values[order], owners[order]
    # One entry per (value, owner), then buckets of two owners or more.
    distinct = np.ones(values.size, dtype=bool)
    distinct[1:] = (values[1:] != values[:-1]) | (owners[1:] != owners[:-1])
    values, owners = values[distinct], owners[distinct]
    starts = np.flatnonzero(np.diff(values, prepend=values[:1] - 1)) if values.size else np.zeros(0, np.intp)
    lengths = np.diff(np.append(starts, values.size))
    shared = (lengths >= 2) & (lengths <= (limit or values.size))
    codes = [np.zeros(0, dtype=np.int64)]
    for length in sorted(set(lengths[shared].tolist())):
        # Buckets of one length side by side: row r holds the owners of one bucket, in increasing order. Copies
        # share most of their bands, so most buckets repeat another's owners: their pairs are made once.
        rows = _distinct_rows(owners[starts[shared & (lengths == length)][:, None] + np.arange(length)])
        first, second = np.triu_indices(length, 1)
        codes.append((rows[:, first] * size + rows[:, second]).ravel().astype(np.int64))
    return np.concatenate(codes)


def _distinct_rows(rows: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """The distinct rows of a matrix, in some order (a sort by columns: faster than `np.unique(axis=0)`)."""
    rows = rows[np.lexsort(rows.T[::-1])]
    return rows[np.append(True, (rows[1:] != rows[:-1]).any(axis=1))] if rows.size else rows


def distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values, sorted (a sort is much faster here than `np.unique`'s hash table)."""
    values = np.sort(values)
    return values[np.append(True, values[1:] != values[:-1])] if values.size else values


IDENTICAL, SHINGLES, ALIGNMENT = 0, 1, 2
SCORERS = ("identical", "shingles", "alignment")
"""What decided an edge, by its code in `CopyEdges.scorer`."""


@dataclass(frozen=True, slots=True)
class CopyEdges:
    """Pairs of members that are copies of each other: each edge's two members (indices into a sequence of
    members), how alike they are, and what decided it."""

    first: npt.NDArray[np.intp]
    second: npt.NDArray[np.intp]
    jaccard: npt.NDArray[np.float64]
    """Estimated Jaccard of their shingles (1.0 for identical bodies)."""
    containment: npt.NDArray[np.float64]
    """Estimated share of the smaller shingle set inside the larger (1.0 for identical bodies)."""
    scorer: npt.NDArray[np.int8]
    """`IDENTICAL`, `SHINGLES` or `ALIGNMENT`."""
    aligned: npt.NDArray[np.intp]
    """For the second stage's edges, sentences of the shorter article with a near match; else 0."""
    sentences: npt.NDArray[np.intp]
    """For the second stage's edges, sentences of the shorter article compared; else 0."""

    @property
    def score(self) -> npt.NDArray[np.float64]:
        """The figure each edge was decided on: the alignment share, or the larger of Jaccard and containment."""
        share = self.aligned / np.maximum(self.sentences, 1)
        return np.where(self.scorer == ALIGNMENT, share, np.maximum(self.jaccard, self.containment))


def copy_edges(pairs: IndexPairs, members: Sequence[Member[K]], params: DedupeParams) -> CopyEdges:
    """The candidate pairs (indices into `members`) that are copies of each other: all compared at once by their
    shingles, then those that are not, when published close enough in time, by their sentences."""
    first, second = pairs
    width = params.permutations
    slots = np.zeros((len(members), width), dtype=np.uint32)
    shingles = np.zeros(len(members), dtype=np.float64)
    for row, member in enumerate(members):
        if member.signature.shingles and member.signature.minhash.size == width:
            slots[row], shingles[row] = member.signature.minhash, member.signature.shingles
    jaccard = np.count_nonzero(slots[first] == slots[second], axis=1) / width
    jaccard[(shingles[first] == 0) | (shingles[second] == 0)] = 0.0
    # |A ∩ B| = J (|A| + |B|) / (1 + J), divided by the smaller set, as `similarity` estimates it.
    smaller = np.maximum(np.minimum(shingles[first], shingles[second]), 1)
    containment = jaccard * (shingles[first] + shingles[second]) / (1 + jaccard) / smaller
    hash_ids: dict[str, int] = {}
    hashes = np.array([hash_ids.setdefault(member.content_hash, len(hash_ids)) for member in members], dtype=np.intp)
    same = hashes[first] == hashes[second]
    jaccard[same] = 1.0
    containment[same] = 1.0
    copies = same | (jaccard >= params.jaccard) | (containment >= params.containment)
    scorer = np.where(same, IDENTICAL, SHINGLES).astype(np.int8)
    aligned, sentences = np.zeros(first.size, dtype=np.intp), np.zeros(first.size, dtype=np.intp)
    # A pair whose shorter article has too few sentences cannot be accepted: it is not scored.
    counted = np.array([m.signature.sentence_sizes.size for m in members], dtype=np.intp)
    enough = np.minimum(counted[first], counted[second]) >= params.rewrite_min_sentences
    second_stage = ~copies & enough & (containment >= params.rewrite_min_containment) & params.second_stage
    scored = np.flatnonzero(second_stage & _within_window(first, second, members, params))
    if scored.size:
        signed = [member.signature for member in members]
        aligned[scored], sentences[scored] = align_pairs(signed, first[scored], second[scored], params.aligned_share)
        share = aligned[scored] / np.maximum(sentences[scored], 1)
        accepted = scored[share >= params.rewrite_score]
        copies[accepted], scorer[accepted] = True, ALIGNMENT
    return CopyEdges(
        first[copies], second[copies], jaccard[copies], np.minimum(containment[copies], 1.0), scorer[copies],
        aligned[copies], sentences[copies],
    )  # fmt: skip


def _within_window(
    first: npt.NDArray[np.intp], second: npt.NDArray[np.intp], members: Sequence[Member[K]], params: DedupeParams
) -> npt.NDArray[np.bool_]:
    """Which pairs were published within the second stage's window of each other (or at an unknown time)."""
    times = np.array([m.published_at.timestamp() if m.published_at else np.nan for m in members], dtype=np.float64)
    apart = np.abs(times[first] - times[second]) if members else np.zeros(0)
    return ~(apart > params.rewrite_window_hours * 3600)


def component_labels(count: int, first: npt.NDArray[np.intp], second: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """Each of `count` nodes' connected component under the edges first[i] - second[i], named by its smallest
    node."""
    labels = np.arange(count)
    while first.size and ((ends := (labels[first], labels[second]))[0] != ends[1]).any():
        # Every label is a root here. Hook the larger root of each edge onto the smaller, then point every node
        # at its new root (a label is never larger than its node, so both steps end).
        np.minimum.at(labels, np.maximum(*ends), np.minimum(*ends))
        while ((jumped := labels[labels]) != labels).any():
            labels = jumped
    return labels


def near_identical(edges: CopyEdges, params: DedupeParams) -> npt.NDArray[np.bool_]:
    """Which of `edges` join near-identical copies (at or above the Jaccard threshold)."""
    return edges.jaccard >= params.jaccard


def story_edges(edges: CopyEdges, rewrites: npt.NDArray[np.bool_], params: DedupeParams) -> npt.NDArray[np.bool_]:
    """Which of `edges` join stories, given which members are merged rewrites: a merged rewrite joins a story only
    as a near-identical copy, never by containing part of it, or it would bridge the two stories it was built
    from."""
    return near_identical(edges, params) | ~(rewrites[edges.first] | rewrites[edges.second])


def canonical(members: Iterable[Member[K]]) -> Member[K]:
    """The story's canonical copy: earliest published, then longest, then smallest key."""
    return min(members, key=lambda member: member.age_order)
