"""Group copies into stories: copy edges, connected components, the canonical copy, and merged rewrites.

Pure functions over `Member`s, shared by the offline clusterer and the warehouse's incremental one, so both give
the same stories for the same articles whatever order they arrive in:

- two articles are copies when their bodies hash the same, or their signatures pass `is_copy`; a story is a
  connected component of that relation, so a new article that copies two stories merges them;
- the canonical copy of a story is the earliest published (unknown times last), then the longest, then the
  smallest key;
- a long sentence originates with the earliest article that has it; an article whose long sentences originate
  in two or more groups of near-identical copies (at least `merged_min_sentences` and `merged_min_share` of its
  long sentences from each) is a merged rewrite. It joins a story only as a near-identical copy (Jaccard), never
  by containment, so it cannot bridge the stories it was built from; it is linked to each of them instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from typing import Generic, TypeVar

from pipeline.dedupe.minhash import TextSignature, similarity
from pipeline.dedupe.params import DedupeParams

K = TypeVar("K", str, int)
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


def candidate_pairs(members: Sequence[Member[K]], params: DedupeParams) -> set[tuple[K, K]]:
    """Pairs of keys sharing a body hash, an LSH band, or a long sentence."""
    buckets: dict[tuple[str, object], list[K]] = defaultdict(list)
    for member in members:
        buckets[("hash", member.content_hash)].append(member.key)
        for band in member.signature.band_keys:
            buckets[("band", band)].append(member.key)
        for sentence in member.signature.sentences:
            buckets[("sentence", sentence)].append(member.key)
    pairs: set[tuple[K, K]] = set()
    for (kind, _), keys in buckets.items():
        if len(keys) > 1 and (kind != "sentence" or len(keys) <= params.common_sentence_limit):
            # Sorted keys make every pair come out (smaller, larger), so one set dedupes pairs across buckets.
            pairs.update(combinations(sorted(set(keys)), 2))
    return pairs


@dataclass(frozen=True, slots=True)
class Edge(Generic[K]):
    """Two articles that are copies of each other, and how alike they are."""

    first: K
    second: K
    jaccard: float
    """Estimated Jaccard of their shingles (1.0 for identical bodies)."""


def copy_edges(pairs: Iterable[tuple[K, K]], members: Mapping[K, Member[K]], params: DedupeParams) -> list[Edge[K]]:
    """The candidate pairs that are copies of each other."""
    edges = []
    for a, b in pairs:
        first, second = members[a], members[b]
        if first.content_hash == second.content_hash:
            edges.append(Edge(a, b, 1.0))
            continue
        jaccard, containment = similarity(first.signature, second.signature)
        if jaccard >= params.jaccard or containment >= params.containment:
            edges.append(Edge(a, b, jaccard))
    return edges


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
    return {
        sentence: canonical(having).key
        for sentence, having in holders.items()
        if 0 < len(having) <= params.common_sentence_limit
    }


def rewritten_from(
    member: Member[K],
    holders: Mapping[int, Sequence[Member[K]]],
    origin_of: Mapping[int, K],
    group_of: Callable[[K], G],
    params: DedupeParams,
) -> tuple[tuple[G, int], ...]:
    """The groups (stories) `member` is a merged rewrite of, with how many of its long sentences come from
    each, most first; empty when its long sentences do not come from two unrelated groups or more.

    Two origins that both hold one of the member's sentences tell one story (two overlapping parts of it), so
    a full article that arrives after two partial copies of itself is not taken for a rewrite of both.
    """
    counts: Counter[K] = Counter()
    for sentence in member.signature.sentences:
        origin = origin_of.get(sentence)
        if origin is not None and origin != member.key:
            counts[origin] += 1
    related: UnionFind[G] = UnionFind()
    for sentence in member.signature.sentences:
        sharing = [group_of(h.key) for h in holders.get(sentence, ()) if h.key in counts]
        for group in sharing:
            related.union(sharing[0], group)
    groups: Counter[G] = Counter()
    for origin, count in counts.items():
        groups[related.find(group_of(origin))] += count
    needed = max(params.merged_min_sentences, params.merged_min_share * len(member.signature.sentences))
    found = tuple((group, count) for group, count in groups.most_common() if count >= needed)
    return found if len(found) >= 2 else ()


def strong_groups(keys: Iterable[K], edges: Iterable[Edge[K]], params: DedupeParams) -> UnionFind[K]:
    """Components of the near-identical copies alone, which merged rewrites cannot bridge."""
    groups: UnionFind[K] = UnionFind()
    for key in keys:
        groups.find(key)
    for edge in edges:
        if edge.jaccard >= params.jaccard:
            groups.union(edge.first, edge.second)
    return groups
