"""Group copies into stories: copy edges, connected components, the canonical copy, and merged rewrites.

Pure functions over `Member`s, shared by the offline clusterer and the warehouse's incremental one, so both give
the same stories for the same articles whatever order they arrive in:

- two articles are copies when their bodies hash the same, or their signatures pass `is_copy`; a story is a
  connected component of that relation, so a new article that copies two stories merges them;
- the canonical copy of a story is the earliest published (unknown times last), then the longest, then the
  smallest key;
- a long sentence originates with the earliest article that has it; an article whose long sentences originate
  in two or more unrelated groups of near-identical copies (see `rewritten_from`) is a merged rewrite. It joins
  a story only as a near-identical copy (Jaccard), never by containment, so it cannot bridge the stories it was
  built from; it is linked to each of them instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, combinations
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

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


class UnionFind(Generic[K]):
    """Connected components over hashable keys."""

    def __init__(self) -> None:
        self._parent: dict[K, K] = {}

    def find(self, key: K) -> K:
        """The representative of `key`'s component."""
        parent = self._parent.setdefault(key, key)
        if parent != key:
            parent = self._parent[key] = self.find(parent)
        return parent

    def union(self, first: K, second: K) -> None:
        """Join the components of `first` and `second`."""
        a, b = self.find(first), self.find(second)
        if a != b:
            self._parent[max(a, b)] = min(a, b)

    def components(self) -> dict[K, list[K]]:
        """Each representative with its members."""
        groups: dict[K, list[K]] = defaultdict(list)
        for key in list(self._parent):
            groups[self.find(key)].append(key)
        return dict(groups)


def candidate_pairs(members: Sequence[Member[K]], params: DedupeParams) -> IndexPairs:
    """Pairs of members (indices into `members`, each pair once) sharing a body hash, an LSH band, or a long
    sentence."""
    hash_ids: dict[str, int] = {}
    content = np.array([hash_ids.setdefault(m.content_hash, len(hash_ids)) for m in members], dtype=np.int64)
    size = max(1, len(members))
    codes = np.concatenate(
        (
            _bucket_pairs(content, np.arange(len(members)), size),
            _bucket_pairs(*_flatten([m.signature.band_keys for m in members]), size),
            _bucket_pairs(*_flatten([m.signature.sentences for m in members]), size, params.common_sentence_limit),
        )
    )
    codes = _distinct(codes)
    return codes // size, codes % size


def _flatten(values: Sequence[Collection[int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
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
        # Buckets of one length side by side: row r holds the owners of one bucket, in increasing order.
        rows = owners[starts[shared & (lengths == length)][:, None] + np.arange(length)]
        first, second = np.triu_indices(length, 1)
        codes.append((rows[:, first] * size + rows[:, second]).ravel().astype(np.int64))
    return np.concatenate(codes)


def _distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values, sorted (a sort is much faster here than `np.unique`'s hash table)."""
    values = np.sort(values)
    return values[np.append(True, values[1:] != values[:-1])] if values.size else values


@dataclass(frozen=True, slots=True)
class Edge(Generic[K]):
    """Two articles that are copies of each other, and how alike they are."""

    first: K
    second: K
    jaccard: float
    """Estimated Jaccard of their shingles (1.0 for identical bodies)."""


def copy_edges(pairs: Iterable[tuple[K, K]], members: Mapping[K, Member[K]], params: DedupeParams) -> list[Edge[K]]:
    """The candidate pairs that are copies of each other."""
    keys = list(members)
    index = {key: n for n, key in enumerate(keys)}
    flat = np.fromiter((index[key] for pair in pairs for key in pair), dtype=np.intp)
    return copy_edges_at((flat[0::2], flat[1::2]), [members[key] for key in keys], params)


def copy_edges_at(pairs: IndexPairs, members: Sequence[Member[K]], params: DedupeParams) -> list[Edge[K]]:
    """The candidate pairs (indices into `members`) that are copies of each other, all compared at once."""
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
    hashes = [member.content_hash for member in members]
    same = np.array([hashes[a] == hashes[b] for a, b in zip(first.tolist(), second.tolist(), strict=True)], dtype=bool)
    jaccard[same] = 1.0
    copies = same | (jaccard >= params.jaccard) | (containment >= params.containment)
    keys = [member.key for member in members]
    return [
        Edge(keys[a], keys[b], value)
        for a, b, value in zip(first[copies].tolist(), second[copies].tolist(), jaccard[copies].tolist(), strict=True)
    ]


def story_edges(edges: Iterable[Edge[K]], rewrites: set[K], params: DedupeParams) -> list[Edge[K]]:
    """The edges that join stories: a merged rewrite joins a story only as a near-identical copy, never by
    containing part of it, or it would bridge the two stories it was built from."""
    return [
        edge
        for edge in edges
        if edge.jaccard >= params.jaccard or (edge.first not in rewrites and edge.second not in rewrites)
    ]


def canonical(members: Iterable[Member[K]]) -> Member[K]:
    """The story's canonical copy: earliest published, then longest, then smallest key."""
    return min(members, key=lambda member: member.age_order)


def sentence_origins(holders: Mapping[int, Sequence[Member[K]]], params: DedupeParams) -> dict[int, K]:
    """Each long sentence's origin: its earliest holder. Sentences too common to be a signal are left out."""
    # Most sentences have one holder; the others compare ranks computed once rather than `age_order` tuples.
    shared = {member.key: member for having in holders.values() if len(having) > 1 for member in having}
    rank = {key: n for n, key in enumerate(sorted(shared, key=lambda key: shared[key].age_order))}
    return {
        sentence: having[0].key if len(having) == 1 else min((m.key for m in having), key=rank.__getitem__)
        for sentence, having in holders.items()
        if 0 < len(having) <= params.common_sentence_limit
    }


def rewrite_suspects(
    members: Sequence[Member[K]], strong: UnionFind[K], near: Collection[K], params: DedupeParams
) -> tuple[list[int], dict[int, K]]:
    """The members `rewritten_from` has to look at (indices into `members`), with the origins of their long
    sentences: the others take too few long sentences from outside their own group of near-identical
    copies (`strong`) to be merged rewrites. This is `rewritten_from`'s first test, run on all members at once."""
    sentences, owners = _flatten([member.signature.sentences for member in members])
    by_age = sorted(range(len(members)), key=lambda n: members[n].age_order)
    rank = np.empty(len(members), dtype=np.intp)
    rank[by_age] = np.arange(len(members))
    # Each sentence's holders side by side, oldest first: the first is the sentence's origin.
    order = np.lexsort((rank[owners], sentences))
    sentences, owners = sentences[order], owners[order]
    starts = np.flatnonzero(np.diff(sentences, prepend=sentences[:1] - 1)) if sentences.size else owners[:0]
    sizes = np.diff(np.append(starts, sentences.size))
    group = np.repeat(np.arange(starts.size), sizes)
    origin = owners[starts][group]
    roots: dict[K, int] = {}
    root = np.array([roots.setdefault(strong.find(m.key), len(roots)) for m in members], dtype=np.intp)
    is_near = np.array([m.key in near for m in members], dtype=bool)
    own = np.where(is_near, root, -1)
    taken = (sizes[group] <= params.common_sentence_limit) & (origin != owners)
    others = np.bincount(owners[taken & (root[origin] != own[owners])], minlength=len(members))
    # A rewrite takes from two groups or more, so it has sentences from two roots or more.
    sources = _distinct(owners[taken].astype(np.int64) * len(members) + root[origin[taken]]) // len(members)
    roots_taken = np.bincount(sources, minlength=len(members))
    needed = params.merged_min_sentences * np.where(is_near, 1, 2)
    suspects = np.flatnonzero((others >= needed) & (roots_taken >= 2))
    # Origins of the suspects' sentences only: nothing else is asked of them.
    wanted = np.zeros(starts.size, dtype=bool)
    wanted[group[np.isin(owners, suspects)]] = True
    keep = wanted & (sizes <= params.common_sentence_limit)
    origin_of = {
        sentence: members[first].key
        for sentence, first in zip(sentences[starts[keep]].tolist(), owners[starts[keep]].tolist(), strict=True)
    }
    return suspects.tolist(), origin_of


def rewritten_from(
    member: Member[K],
    sentences_held: Callable[[K], AbstractSet[int]],
    origin_of: Mapping[int, K],
    group_of: Callable[[K], G],
    params: DedupeParams,
    sentences_of: Callable[[K], int],
    own: G | None = None,
) -> tuple[tuple[G, int], ...]:
    """The groups (stories) `member` is a merged rewrite of, with how many of its long sentences come from
    each, most first; empty when it does not take from two unrelated groups or more.

    A group counts when the member takes at least `merged_min_sentences` long sentences from it, and those are
    at least `merged_min_share` of the member's long sentences or of the group's longest origin's (so a rewrite
    that is nearly a whole copy of one story still counts the few paragraphs it took from another). `own`, the
    group the member is a near-identical copy of, counts when it gave the member any long sentence. Two origins
    that share at least `merged_min_sentences` of the member's sentences tell one story (two overlapping parts of
    it), so a full article that arrives after two partial copies of itself is not taken for a rewrite of both.
    """
    counts = Counter(origin_of[s] for s in member.signature.sentences if origin_of.get(s, member.key) != member.key)
    group = {origin: group_of(origin) for origin in counts}
    others = sum(count for origin, count in counts.items() if group[origin] != own)
    # Groups only merge below, so too few sentences from other groups can never make two.
    if others < params.merged_min_sentences * (1 if own is not None else 2):
        return ()
    related = _related_groups(member, sentences_held, group, params)
    totals: Counter[G] = Counter()
    largest: Counter[G] = Counter()
    for origin, count in counts.items():
        root = related.find(group[origin])
        totals[root] += count
        largest[root] = max(largest[root], sentences_of(origin))
    own_root = related.find(own) if own is not None else None
    size = len(member.signature.sentences)
    found = tuple(
        (root, count)
        for root, count in totals.most_common()
        if (root == own_root and count > 0)
        or (count >= params.merged_min_sentences and count >= params.merged_min_share * min(size, largest[root]))
    )
    return found if len(found) >= 2 else ()


def _related_groups(
    member: Member[K], sentences_held: Callable[[K], AbstractSet[int]], group: Mapping[K, G], params: DedupeParams
) -> UnionFind[G]:
    """The origins' groups, joined when two of them share at least `merged_min_sentences` of the member's long
    sentences (a single shared sentence, a quote, does not make two stories one). An origin shares the sentences
    it holds, not only those it originated."""
    related: UnionFind[G] = UnionFind()
    held: dict[G, set[int]] = defaultdict(set)
    for origin, root in group.items():
        held[root] |= member.signature.sentences & sentences_held(origin)
    for (first, mine), (second, theirs) in combinations(held.items(), 2):
        if len(mine & theirs) >= params.merged_min_sentences:
            related.union(first, second)
    return related


def near_identical(edges: Iterable[Edge[K]], params: DedupeParams) -> set[K]:
    """The keys with a near-identical copy (an edge at or above the Jaccard threshold)."""
    return {key for edge in edges if edge.jaccard >= params.jaccard for key in (edge.first, edge.second)}


def strong_groups(keys: Iterable[K], edges: Iterable[Edge[K]], params: DedupeParams) -> UnionFind[K]:
    """Components of the near-identical copies alone, which merged rewrites cannot bridge."""
    groups: UnionFind[K] = UnionFind()
    for key in keys:
        groups.find(key)
    for edge in edges:
        if edge.jaccard >= params.jaccard:
            groups.union(edge.first, edge.second)
    return groups
