"""Group copies into stories: copy edges, connected components, the canonical copy, and merged rewrites.

Pure functions over `Member`s, shared by the offline clusterer and the warehouse's incremental one, so both give
the same stories for the same articles whatever order they arrive in:

- two articles are copies when their bodies hash the same, or their signatures pass `is_copy`; a story is a
  connected component of that relation, so a new article that copies two stories merges them;
- the canonical copy of a story is the earliest published (unknown times last), then the longest, then the
  smallest key;
- a long sentence originates with the earliest article that has it; an article whose long sentences originate
  in two or more stories (at least `merged_min_sentences` and `merged_min_share` of its long sentences from each)
  is a merged rewrite, linked to each of those stories. It stays in its own story (the component of its copy
  edges), and merged links never join stories together, so the result does not depend on arrival order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from typing import Generic, TypeVar

from pipeline.dedupe.minhash import TextSignature, is_copy
from pipeline.dedupe.params import DedupeParams

K = TypeVar("K", str, int)
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
            pairs.update(_ordered(a, b) for a, b in combinations(keys, 2))
    return pairs


def _ordered(a: K, b: K) -> tuple[K, K]:
    return (a, b) if a <= b else (b, a)


def copy_edges(pairs: Iterable[tuple[K, K]], members: Mapping[K, Member[K]], params: DedupeParams) -> list[tuple[K, K]]:
    """The candidate pairs that are copies of each other."""
    edges = []
    for a, b in pairs:
        first, second = members[a], members[b]
        if first.content_hash == second.content_hash or is_copy(first.signature, second.signature, params):
            edges.append((a, b))
    return edges


def canonical(members: Iterable[Member[K]]) -> Member[K]:
    """The story's canonical copy: earliest published, then longest, then smallest key."""
    return min(members, key=lambda member: member.age_order)


def merged_links(
    member: Member[K],
    holders: Mapping[int, Sequence[Member[K]]],
    story_of: Mapping[K, K],
    params: DedupeParams,
) -> tuple[tuple[K, int], ...]:
    """The stories `member` is a merged rewrite of, with how many of its long sentences come from each (most
    first); empty when it is not a merged rewrite.

    `holders` maps each of the member's long-sentence hashes to the articles that have it (the member included),
    `story_of` maps article keys to their story. A sentence originates in the story of its earliest holder.
    """
    sentences = member.signature.sentences
    origins: Counter[K] = Counter()
    for sentence in sentences:
        having = holders.get(sentence, ())
        if 0 < len(having) <= params.common_sentence_limit:
            origins[story_of[canonical(having).key]] += 1
    needed = max(params.merged_min_sentences, params.merged_min_share * len(sentences))
    stories = tuple((story, count) for story, count in origins.most_common() if count >= needed)
    return stories if len(stories) >= 2 else ()
