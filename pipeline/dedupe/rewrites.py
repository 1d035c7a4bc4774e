"""Merged rewrites: articles built from two stories' copies ("AFP/Reuters"), found by where their long sentences
come from.

A long sentence of an article originates with its earliest holder among the article itself and its sources, the
articles sharing at least two of its long sentences (one shared sentence is a quote, not a source). An article
whose long sentences originate in two or more unrelated groups of near-identical copies is a merged rewrite
(`rewritten_from`). `rewrite_suspects` runs the cheap part of that test on a whole batch at once in numpy, so the
full test runs only on the few articles that could pass it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Generic

import numpy as np
import numpy.typing as npt

from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.stories import G, K, Member, component_labels, distinct, flatten


@dataclass(frozen=True, slots=True)
class Holdings(Generic[K]):
    """Every (long sentence, holder) of a set of members, by sentence and, within one, oldest holder first."""

    members: Sequence[Member[K]]
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
    def of(cls, members: Sequence[Member[K]]) -> Holdings[K]:
        """The holdings of `members`' long sentences."""
        sentences, owners = flatten([member.signature.sentences for member in members])
        by_age = sorted(range(len(members)), key=lambda n: members[n].age_order)
        rank = np.empty(len(members), dtype=np.intp)
        rank[by_age] = np.arange(len(members))
        order = np.lexsort((rank[owners], sentences))
        sentences, owners = sentences[order], owners[order]
        starts = np.flatnonzero(np.diff(sentences, prepend=sentences[:1] - 1)) if sentences.size else owners[:0]
        sizes = np.diff(np.append(starts, sentences.size))
        sentence = np.repeat(np.arange(starts.size), sizes)
        position = np.arange(sentences.size) - starts[sentence]
        return cls(members, sentences, owners, starts, sizes, sentence, position)


def rewrite_suspects(
    holdings: Holdings[K],
    group_of: Callable[[K], G],
    own_of: Callable[[K], G | None],
    params: DedupeParams,
) -> tuple[list[int], dict[int, list[Member[K]]]]:
    """The members `rewritten_from` has to look at (indices into `holdings.members`), with the holders of their
    long sentences, oldest first: the others fail its first test, which this runs on all members at once (the
    origins of their sentences lie in one group, or too few lie outside their own, `own_of`).
    """
    members = holdings.members
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
    groups = np.bincount(distinct(holder * kinds + origin_root) // kinds, minlength=len(members))
    suspects = np.flatnonzero((others >= needed) & (groups >= 2))
    # Holders of the suspects' sentences only: nothing else is asked of them.
    wanted = np.zeros(holdings.starts.size, dtype=bool)
    wanted[holdings.sentence[np.isin(holdings.owners, suspects)]] = True
    keep = wanted[holdings.sentence]
    holders: dict[int, list[Member[K]]] = defaultdict(list)
    for sentence, owner in zip(holdings.sentences[keep].tolist(), holdings.owners[keep].tolist(), strict=True):
        holders[sentence].append(members[owner])
    return suspects.tolist(), holders


def merged_rewrites(
    holdings: Holdings[K],
    group_of: Callable[[K], G],
    own_of: Callable[[K], G | None],
    sentences_of: Callable[[K], int],
    params: DedupeParams,
    among: Collection[K] | None = None,
) -> dict[int, tuple[tuple[G, int], ...]]:
    """The merged rewrites among the members of `holdings` (or only those whose key is in `among`), by index into
    them, each with the groups `rewritten_from` found."""
    suspects, holders = rewrite_suspects(holdings, group_of, own_of, params)
    found = {}
    for n in suspects:
        member = holdings.members[n]
        if among is None or member.key in among:
            groups = rewritten_from(member, holders, group_of, params, sentences_of, own_of(member.key))
            if groups:
                found[n] = groups
    return found


def _older_holders(
    holdings: Holdings[K],
    older: npt.NDArray[np.bool_],
    root: npt.NDArray[np.intp],
    own: npt.NDArray[np.intp],
    kinds: int,
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
    groups = np.bincount(distinct(holdings.owners[older] * kinds + first_root[older]) // kinds, minlength=count)
    groups[holdings.owners[two]] = 2
    return others, groups


def _source_origins(
    holdings: Holdings[K], entries: npt.NDArray[np.bool_], params: DedupeParams
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
        root = related[group[origin]]
        totals[root] += count
        largest[root] = max(largest[root], sentences_of(origin))
    own_root = related.get(own, own) if own is not None else None
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


def _related_groups(held: Mapping[K, set[int]], group: Mapping[K, G], params: DedupeParams) -> dict[G, G]:
    """Each of the origins' groups with the smallest of the groups it is related to (itself included), two groups
    being related when they hold at least `merged_min_sentences` of the member's long sentences in common (a single
    shared sentence, a quote, does not make two stories one). An origin holds the sentences it shares with the
    member, not only those it originated."""
    by_group: dict[G, set[int]] = defaultdict(set)
    for origin, root in group.items():
        by_group[root] |= held[origin]
    names = sorted(by_group)
    pairs = [
        (first, second)
        for (first, mine), (second, theirs) in combinations(enumerate(by_group[name] for name in names), 2)
        if len(mine & theirs) >= params.merged_min_sentences
    ]
    if not pairs:
        return {name: name for name in names}
    first, second = (np.array(ends, dtype=np.intp) for ends in zip(*pairs, strict=True))
    # Names are sorted, and a component is labelled by its smallest node: its smallest group.
    labels = component_labels(len(names), first, second).tolist()
    return {name: names[label] for name, label in zip(names, labels, strict=True)}
