"""Group copies into stories: copy edges, connected components, the canonical copy, and merged rewrites.

Pure functions over `Member`s, shared by the offline clusterer and the warehouse's incremental one, so both give
the same stories for the same articles whatever order they arrive in:

- two articles are copies when their bodies hash the same, or their signatures pass `is_copy`; a story is a
  connected component of that relation, so a new article that copies two stories merges them;
- the canonical copy of a story is the earliest published (unknown times last), then the longest, then the
  smallest key;
- a long sentence of an article originates with its earliest holder among the article itself and its sources,
  the articles sharing at least two of its long sentences (one shared sentence is a quote, not a source); an
  article whose long sentences originate in two or more unrelated groups of near-identical copies (see
  `rewritten_from`) is a merged rewrite. It joins a story only as a near-identical copy (Jaccard), never by
  containment, so it cannot bridge the stories it was built from; it is linked to each of them instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
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
        parents = self._parent
        parent = parents.setdefault(key, key)
        if parent == key:
            return key
        root = parent
        while (above := parents[root]) != root:
            root = above
        # Point the whole path at the root, so the next find is one step.
        while key != root:
            parents[key], key = root, parents[key]
        return root

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
        # Buckets of one length side by side: row r holds the owners of one bucket, in increasing order. Copies
        # share most of their bands, so most buckets repeat another's owners: their pairs are made once.
        rows = np.unique(owners[starts[shared & (lengths == length)][:, None] + np.arange(length)], axis=0)
        first, second = np.triu_indices(length, 1)
        codes.append((rows[:, first] * size + rows[:, second]).ravel().astype(np.int64))
    return np.concatenate(codes)


def _pairs_within(starts: npt.NDArray[np.intp], lengths: npt.NDArray[np.intp]) -> IndexPairs:
    """Every pair of positions i < j inside each run [start, start + length), as two arrays of positions."""
    firsts, seconds = [np.zeros(0, dtype=np.intp)], [np.zeros(0, dtype=np.intp)]
    for length in sorted(set(lengths[lengths >= 2].tolist())):
        # Runs of one length side by side: row r holds the positions of one run.
        rows = starts[lengths == length][:, None]
        first, second = np.triu_indices(length, 1)
        firsts.append((rows + first).ravel())
        seconds.append((rows + second).ravel())
    return np.concatenate(firsts), np.concatenate(seconds)


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


@dataclass(frozen=True, slots=True)
class EdgeArrays:
    """Copy edges as arrays: each edge's two members (indices into a sequence of members) and its Jaccard."""

    first: npt.NDArray[np.intp]
    second: npt.NDArray[np.intp]
    jaccard: npt.NDArray[np.float64]
    """Estimated Jaccard of their shingles (1.0 for identical bodies)."""


def copy_edges_at(pairs: IndexPairs, members: Sequence[Member[K]], params: DedupeParams) -> list[Edge[K]]:
    """The candidate pairs (indices into `members`) that are copies of each other, all compared at once."""
    found, keys = copy_edge_arrays(pairs, members, params), [member.key for member in members]
    return [
        Edge(keys[a], keys[b], value)
        for a, b, value in zip(found.first.tolist(), found.second.tolist(), found.jaccard.tolist(), strict=True)
    ]


def copy_edge_arrays(pairs: IndexPairs, members: Sequence[Member[K]], params: DedupeParams) -> EdgeArrays:
    """`copy_edges_at` as arrays."""
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
    copies = same | (jaccard >= params.jaccard) | (containment >= params.containment)
    return EdgeArrays(first[copies], second[copies], jaccard[copies])


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


@dataclass(frozen=True, slots=True)
class _Holdings:
    """Every (long sentence, holder) of a set of members, by sentence and, within one, oldest holder first."""

    sentences: npt.NDArray[np.int64]
    owners: npt.NDArray[np.intp]
    """Each entry's holder, an index into the members."""
    starts: npt.NDArray[np.intp]
    """Each sentence's first entry."""
    sizes: npt.NDArray[np.intp]
    """Each sentence's number of holders."""
    sentence: npt.NDArray[np.intp]
    """Each entry's sentence, an index into `starts`."""
    position: npt.NDArray[np.intp]
    """Each entry's place among its sentence's holders, 0 for the oldest."""

    @classmethod
    def of(cls, members: Sequence[Member[K]]) -> _Holdings:
        sentences, owners = _flatten([member.signature.sentences for member in members])
        by_age = sorted(range(len(members)), key=lambda n: members[n].age_order)
        rank = np.empty(len(members), dtype=np.intp)
        rank[by_age] = np.arange(len(members))
        order = np.lexsort((rank[owners], sentences))
        sentences, owners = sentences[order], owners[order]
        starts = np.flatnonzero(np.diff(sentences, prepend=sentences[:1] - 1)) if sentences.size else owners[:0]
        sizes = np.diff(np.append(starts, sentences.size))
        sentence = np.repeat(np.arange(starts.size), sizes)
        return cls(sentences, owners, starts, sizes, sentence, np.arange(sentences.size) - starts[sentence])


def rewrite_suspects(
    members: Sequence[Member[K]],
    group_of: Callable[[K], G],
    own_of: Callable[[K], G | None],
    params: DedupeParams,
) -> tuple[list[int], dict[int, list[Member[K]]]]:
    """The members `rewritten_from` has to look at (indices into `members`), with the holders of their long
    sentences, oldest first: the others fail its first test, which this runs on all members at once (the origins
    of their sentences lie in one group, or too few lie outside their own, `own_of`).
    """
    holdings = _Holdings.of(members)
    roots: dict[G, int] = {}
    root = np.array([roots.setdefault(group_of(m.key), len(roots)) for m in members], dtype=np.intp)
    owns = [own_of(m.key) for m in members]
    own = np.array([-1 if g is None else roots.setdefault(g, len(roots)) for g in owns], dtype=np.intp)
    needed = params.merged_min_sentences * np.where(own >= 0, 1, 2)
    kinds = int(max(root.max(initial=0), own.max(initial=0))) + 1
    # An origin is an older holder: a member whose older holders fail the test fails it whatever its sources.
    older = (holdings.sizes[holdings.sentence] <= params.common_sentence_limit) & (holdings.position > 0)
    others, groups = _older_holders(holdings, older, root, own, kinds)
    possible = (others >= needed) & (groups >= 2)
    taken, origin = _source_origins(holdings, older & possible[holdings.owners], params)
    holder, origin_root = holdings.owners[taken], root[holdings.owners[origin]]
    others = np.bincount(holder[origin_root != own[holder]], minlength=len(members))
    groups = np.bincount(_distinct(holder * kinds + origin_root) // kinds, minlength=len(members))
    suspects = np.flatnonzero((others >= needed) & (groups >= 2))
    # Holders of the suspects' sentences only: nothing else is asked of them.
    wanted = np.zeros(holdings.starts.size, dtype=bool)
    wanted[holdings.sentence[np.isin(holdings.owners, suspects)]] = True
    keep = wanted[holdings.sentence]
    holders: dict[int, list[Member[K]]] = defaultdict(list)
    for sentence, owner in zip(holdings.sentences[keep].tolist(), holdings.owners[keep].tolist(), strict=True):
        holders[sentence].append(members[owner])
    return suspects.tolist(), holders


def _older_holders(
    holdings: _Holdings, older: npt.NDArray[np.bool_], root: npt.NDArray[np.intp], own: npt.NDArray[np.intp], kinds: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Per member, how many of its sentences (the `older` entries) have an older holder outside its own group, and
    how many groups its sentences' older holders lie in (2 standing for two or more)."""
    count = own.size
    if not holdings.sentences.size:
        return np.zeros(count, dtype=np.intp), np.zeros(count, dtype=np.intp)
    entry_root = root[holdings.owners]
    first_root = entry_root[holdings.starts][holdings.sentence]
    # Where the first holder of another group than the oldest holder's stands (past the end if none).
    elsewhere = np.where(entry_root != first_root, holdings.position, holdings.sentences.size)
    other_at = np.minimum.reduceat(elsewhere, holdings.starts)[holdings.sentence]
    two = older & (other_at < holdings.position)
    outside = older & ((first_root != own[holdings.owners]) | two)
    others = np.bincount(holdings.owners[outside], minlength=count)
    groups = np.bincount(_distinct(holdings.owners[older] * kinds + first_root[older]) // kinds, minlength=count)
    groups[holdings.owners[two]] = 2
    return others, groups


def _source_origins(
    holdings: _Holdings, entries: npt.NDArray[np.bool_], params: DedupeParams
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The `entries` whose sentence has an origin other than their holder, and that origin's entry: the oldest of
    the holder's sources holding the sentence, a source being an older holder sharing at least
    `merged_min_sentences` sentences with it (counted over the holder's `entries`, so these must hold every usable
    sentence of each holder they hold any of)."""
    newer_entries = np.flatnonzero(entries)
    counts = holdings.position[newer_entries]
    # Each entry paired with every older holder of its sentence: positions start .. entry - 1.
    newer = np.repeat(newer_entries, counts)
    skip = np.repeat(holdings.starts[holdings.sentence[newer_entries]] - (np.cumsum(counts) - counts), counts)
    older = skip + np.arange(newer.size)
    size = np.intp(holdings.owners.size)
    pairs = holdings.owners[newer] * size + holdings.owners[older]
    _, pair, shared = np.unique(pairs, return_inverse=True, return_counts=True)
    source = shared[pair] >= params.merged_min_sentences
    origin = np.full(holdings.sentences.size, holdings.sentences.size, dtype=np.intp)
    np.minimum.at(origin, newer[source], older[source])
    taken = np.flatnonzero(origin < holdings.sentences.size)
    return taken, origin[taken]


def rewritten_from(
    member: Member[K],
    holders: Mapping[int, Sequence[Member[K]]],
    group_of: Callable[[K], G],
    params: DedupeParams,
    sentences_of: Callable[[K], int],
    own: G | None = None,
) -> tuple[tuple[G, int], ...]:
    """The groups (stories) `member` is a merged rewrite of, with how many of its long sentences come from
    each, most first; empty when it does not take from two unrelated groups or more.

    `holders` has every holder of the member's long sentences, oldest first, the member among them. A group
    counts when the member takes at least `merged_min_sentences` long sentences from it, and those are at least
    `merged_min_share` of the member's long sentences or of the group's longest origin's (so a rewrite that is
    nearly a whole copy of one story still counts the few paragraphs it took from another). `own`, the group the
    member is a near-identical copy of, counts when it gave the member any long sentence. Two origins that share
    at least `merged_min_sentences` of the member's sentences tell one story (two overlapping parts of it), so a
    full article that arrives after two partial copies of itself is not taken for a rewrite of both.
    """
    held = _held_sentences(member, holders, params)
    origins = _origins(member, holders, held, params)
    counts = Counter(origin for origin in origins.values() if origin != member.key)
    group = {origin: group_of(origin) for origin in counts}
    others = sum(count for origin, count in counts.items() if group[origin] != own)
    # Groups only merge below, so too few sentences from other groups can never make two.
    if others < params.merged_min_sentences * (1 if own is not None else 2):
        return ()
    related = _related_groups(held, group, params)
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


def _held_sentences(
    member: Member[K], holders: Mapping[int, Sequence[Member[K]]], params: DedupeParams
) -> dict[K, set[int]]:
    """Each older holder's share of the member's long sentences, leaving out sentences too common to be a signal
    (only older holders can be where the member took a sentence from, and `holders` are oldest first)."""
    held: dict[K, set[int]] = defaultdict(set)
    for sentence in member.signature.sentences:
        having = holders.get(sentence, ())
        if len(having) <= params.common_sentence_limit:
            for holder in having:
                if holder.key == member.key:
                    break
                held[holder.key].add(sentence)
    return held


def _origins(
    member: Member[K], holders: Mapping[int, Sequence[Member[K]]], held: Mapping[K, set[int]], params: DedupeParams
) -> dict[int, K]:
    """Each of the member's long sentences with its origin: its earliest holder (`holders` are oldest first)
    among the member and the member's sources, the holders sharing at least `merged_min_sentences` of its
    sentences. An older article that shares a single sentence quoted it; it is not where the member took it from."""
    origins = {}
    for sentence in member.signature.sentences:
        having = holders.get(sentence, ())
        if len(having) <= params.common_sentence_limit:
            for holder in having:
                if holder.key == member.key or len(held.get(holder.key, ())) >= params.merged_min_sentences:
                    origins[sentence] = holder.key
                    break
    return origins


def _related_groups(held: Mapping[K, set[int]], group: Mapping[K, G], params: DedupeParams) -> UnionFind[G]:
    """The origins' groups, joined when two of them hold at least `merged_min_sentences` of the member's long
    sentences in common (a single shared sentence, a quote, does not make two stories one). An origin holds the
    sentences it shares with the member, not only those it originated."""
    related: UnionFind[G] = UnionFind()
    by_group: dict[G, set[int]] = defaultdict(set)
    for origin, root in group.items():
        by_group[root] |= held[origin]
    for (first, mine), (second, theirs) in combinations(by_group.items(), 2):
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
