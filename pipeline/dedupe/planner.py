"""Where a batch's articles go: new stories, joins, merges and merged-rewrite links, decided without I/O.

`plan` takes a batch's signatures, its candidate pairs and what is stored around it, and returns a `Placement`.
The warehouse (`pipeline.load.stories`) gathers those inputs with SQL and executes the placement there; the offline
clusterer (`pipeline.dedupe.offline`) builds them in memory, with nothing stored, and executes it in memory.

- A story is a connected component of the copy edges (less those a merged rewrite would bridge) and of the stored
  articles' membership of their stories: a batch article that copies two stories merges them into the older.
- Whether a batch article is a merged rewrite is judged against groups of near-identical copies, a stored story
  counting as one group; its links, and those of every article sharing a long sentence with the batch or with
  those, are then judged against the stories as placed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain
from typing import Generic

import numpy as np
import numpy.typing as npt

from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.rewrites import Holdings, merged_rewrites
from pipeline.dedupe.stories import (
    ALIGNMENT,
    SCORERS,
    CopyEdges,
    IndexPairs,
    K,
    Member,
    component_labels,
    copy_edges,
    near_identical,
    story_edges,
)


@dataclass(frozen=True, slots=True)
class Holder(Generic[K]):
    """An article holding long sentences of the articles asked about."""

    member: Member[K]
    """Its signature, with the long sentences it holds of those articles (the warehouse hands back no others)."""
    sentences: int
    """How many long sentences it has in all."""
    story: int | None = None
    """Its stored story, if it has one."""


@dataclass(frozen=True, slots=True)
class Neighbourhood(Generic[K]):
    """What is known around a batch: its stored candidate copies, the stories they are in, and the holders of its
    long sentences (offline, where nothing is stored, the batch holds them all)."""

    members: tuple[Member[K], ...] = ()
    """Stored candidate copies of the batch (signatures without band keys or sentences)."""
    stories: Mapping[K, int | None] = field(default_factory=dict)
    """The stored story of every stored article here, and of the batch articles placed before."""
    holders: tuple[Holder[K], ...] = ()
    """Every article holding a long sentence of the batch, the batch's own among them."""
    relinked: tuple[Holder[K], ...] = ()
    """Every article holding a long sentence of the batch or of its holders: their merged-rewrite links are
    recomputed."""


@dataclass(frozen=True, slots=True)
class NewStory:
    """A story the placement creates, by its place in `Placement.new_stories`."""

    index: int


StoryRef = int | NewStory
"""A stored story's id, or a story the placement creates."""


@dataclass(frozen=True, slots=True)
class Join(Generic[K]):
    """A batch article placed in a stored story."""

    article: K
    story: int


@dataclass(frozen=True, slots=True)
class Merge(Generic[K]):
    """Stored stories folded into the oldest of them, because a batch article copies them all."""

    survivor: int
    merged: tuple[int, ...]
    bridge: K
    """The batch article (the smallest key, of several) that joins them."""


@dataclass(frozen=True, slots=True)
class Link(Generic[K]):
    """A merged rewrite's link to one of the stories it was rewritten from."""

    article: K
    story: StoryRef
    sentences: int
    """How many of the article's long sentences come from that story."""


@dataclass(frozen=True, slots=True)
class Evidence(Generic[K]):
    """Why two articles are in one story: a copy edge with a batch article at one end, the later-published of the
    two first."""

    article: K
    other: K
    """The earlier-published article (unknown times count as latest)."""
    scorer: str
    """What decided it: `identical` bodies, `shingles` (Jaccard or containment) or sentence `alignment`."""
    score: float
    """The alignment share for `alignment`, else the larger of Jaccard and containment."""
    jaccard: float
    """Estimated Jaccard of their 5-word shingles."""
    containment: float
    """Estimated share of the smaller shingle set inside the larger."""
    aligned: int
    """For `alignment`, sentences of the shorter article with a near match in the other; else 0."""
    sentences: int
    """For `alignment`, sentences of the shorter article compared; else 0."""


@dataclass(frozen=True, slots=True)
class Placement(Generic[K]):
    """Where a batch's articles go, and what changes around them."""

    new_stories: tuple[tuple[K, ...], ...]
    """Groups of batch articles that make new stories, by their smallest key."""
    joins: tuple[Join[K], ...]
    """Batch articles placed in stored stories (a merge's survivor, when they bridge several)."""
    merges: tuple[Merge[K], ...]
    links: tuple[Link[K], ...]
    """The merged-rewrite links of the `relinked` articles."""
    relinked: tuple[K, ...]
    """The articles whose links are replaced by `links`."""
    articles: int
    """Batch articles placed."""
    duplicates: int
    """Of those, articles in a story with other copies."""
    evidence: tuple[Evidence[K], ...] = ()
    """The copy edges that placed the batch articles (every edge with a batch article at one end)."""

    @property
    def merged_stories(self) -> int:
        """How many stored stories are folded into others."""
        return sum(len(merge.merged) for merge in self.merges)


@dataclass(frozen=True, slots=True)
class _Graph(Generic[K]):
    """Articles (the batch's first, in order) and stored stories as the nodes of one graph, each stored article
    joined to its story."""

    keys: list[K]
    index: dict[K, int]
    stories: list[int]
    """The stored stories, by id: the node of `stories[n]` is `len(keys) + n`."""
    in_story: IndexPairs
    """Article nodes and the nodes of their stories."""

    @classmethod
    def of(cls, batch: Sequence[Member[K]], around: Neighbourhood[K]) -> _Graph[K]:
        """The graph of `batch` and what is stored around it."""
        index = {member.key: n for n, member in enumerate(batch)}
        holders = (holder.member.key for holder in around.holders)
        for key in chain((member.key for member in around.members), holders, around.stories):
            index.setdefault(key, len(index))
        stories = sorted({story for story in around.stories.values() if story is not None})
        node = {story: len(index) + n for n, story in enumerate(stories)}
        placed = [(index[key], node[story]) for key, story in around.stories.items() if story is not None]
        ends = np.array(placed, dtype=np.intp).reshape(-1, 2)
        return cls(list(index), index, stories, (ends[:, 0], ends[:, 1]))

    def labels(self, first: npt.NDArray[np.intp], second: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        """Each node's component under the article edges first[i] - second[i] and the stories' memberships."""
        count = len(self.keys) + len(self.stories)
        articles, stories = self.in_story
        return component_labels(count, np.concatenate((first, articles)), np.concatenate((second, stories)))


def plan(batch: Sequence[Member[K]], pairs: IndexPairs, around: Neighbourhood[K], params: DedupeParams) -> Placement[K]:
    """Where each of `batch` goes, given its candidate pairs (indices into the batch, then `around.members`) and
    what is stored around it."""
    graph = _Graph.of(batch, around)
    edges = copy_edges(pairs, [*batch, *around.members], params)
    # A batch article is judged on its whole signature; the warehouse knows only its sentences' holders.
    whole = {member.key: member for member in batch}
    judged = Holdings.of([whole.get(holder.member.key, holder.member) for holder in around.holders])
    rewrites = _batch_rewrites(batch, around, graph, edges, judged, params)
    joins = story_edges(edges, rewrites, params)
    everyone: list[Member[K]] = list(chain(batch, around.members))
    joins &= _attached_once(everyone, graph, edges, joins)
    placement = _place(batch, graph, graph.labels(edges.first[joins], edges.second[joins]))
    placement = replace(placement, evidence=_evidence(everyone, len(batch), edges, joins))
    return _with_links(placement, around, judged, params)


def _attached_once(
    members: Sequence[Member[K]], graph: _Graph[K], edges: CopyEdges, joins: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """Which of `edges` may join stories once the second stage's edges cannot bridge them. The later article of
    an alignment edge attaches to the earlier one's story (as the other edges and stored stories make it) only
    when it is the earliest of its own story so far, and that story is the one it aligns with best: an update
    joins its story, while a rewrite of two stories that was not recognised as one joins one of them at most."""
    aligned = joins & (edges.scorer == ALIGNMENT)
    if not aligned.any():
        return np.ones(edges.first.size, dtype=bool)
    labels = graph.labels(edges.first[joins & ~aligned], edges.second[joins & ~aligned]).tolist()
    order = sorted(range(len(members)), key=lambda m: members[m].age_order)
    earliest: dict[int, int] = {}
    for m in order:
        earliest.setdefault(labels[m], m)
    best: dict[int, tuple[float, int]] = {}
    targets = {}
    score = edges.score
    for n in np.flatnonzero(aligned).tolist():
        earlier, later = sorted((int(edges.first[n]), int(edges.second[n])), key=lambda m: members[m].age_order)
        target = labels[earlier]
        if target != labels[later]:
            targets[n] = (later, target)
            # The highest score wins, then the oldest story (the smallest label).
            best[later] = min(best.get(later, (2.0, 0)), (-float(score[n]), target))
    keep = np.ones(edges.first.size, dtype=bool)
    for n, (later, target) in targets.items():
        keep[n] = earliest[labels[later]] == later and best[later][1] == target
    return keep


def _evidence(
    members: Sequence[Member[K]], batch: int, edges: CopyEdges, joins: npt.NDArray[np.bool_]
) -> tuple[Evidence[K], ...]:
    """The evidence of the story edges with a batch article (one of the first `batch` members) at one end."""
    chosen = np.flatnonzero(joins & ((edges.first < batch) | (edges.second < batch))).tolist()
    score = edges.score
    found = {}
    for n in chosen:
        earlier, later = sorted((members[edges.first[n]], members[edges.second[n]]), key=_age)
        # The warehouse's candidates may hold a pair of batch articles both ways round: it is one edge.
        found[later.key, earlier.key] = Evidence(
            later.key, earlier.key, SCORERS[edges.scorer[n]], round(float(score[n]), 4),
            round(float(edges.jaccard[n]), 4), round(float(edges.containment[n]), 4),
            int(edges.aligned[n]), int(edges.sentences[n]),
        )  # fmt: skip
    return tuple(found[pair] for pair in sorted(found))


def _age(member: Member[K]) -> tuple[bool, datetime, int, K]:
    return member.age_order


def _batch_rewrites(
    batch: Sequence[Member[K]],
    around: Neighbourhood[K],
    graph: _Graph[K],
    edges: CopyEdges,
    judged: Holdings[K],
    params: DedupeParams,
) -> npt.NDArray[np.bool_]:
    """Which of the batch, then the stored members, are merged rewrites (only batch articles can be), judged
    against groups of near-identical copies and stored stories, which merged rewrites cannot bridge."""
    near = near_identical(edges, params)
    first, second = edges.first[near], edges.second[near]
    groups: list[int] = graph.labels(first, second).tolist()
    is_near = np.zeros(len(graph.keys), dtype=bool)
    is_near[first] = is_near[second] = True
    near_ones: list[bool] = is_near.tolist()
    index = graph.index

    def group_of(key: K) -> int:
        return groups[index[key]]

    def own_of(key: K) -> int | None:
        return groups[index[key]] if near_ones[index[key]] else None

    totals = {holder.member.key: holder.sentences for holder in around.holders}
    among = {member.key for member in batch}
    found = merged_rewrites(judged, group_of, own_of, totals.__getitem__, params, among=among)
    rewrites = np.zeros(len(batch) + len(around.members), dtype=bool)
    rewrites[[index[judged.members[n].key] for n in found]] = True
    return rewrites


def _place(batch: Sequence[Member[K]], graph: _Graph[K], labels: npt.NDArray[np.intp]) -> Placement[K]:
    """The placement of the components that hold batch articles (links not yet found)."""
    sizes = np.bincount(labels[: len(graph.keys)], minlength=labels.size).tolist()
    stories: dict[int, list[int]] = {}
    for story, label in zip(graph.stories, labels[len(graph.keys) :].tolist(), strict=True):
        stories.setdefault(label, []).append(story)
    components: dict[int, list[K]] = {}
    for member, label in zip(batch, labels[: len(batch)].tolist(), strict=True):
        components.setdefault(label, []).append(member.key)
    new_stories, joins, merges, duplicates = [], [], [], 0
    for label, articles in sorted(((label, sorted(keys)) for label, keys in components.items()), key=_first_key):
        found = stories.get(label, [])
        if not found:
            new_stories.append(tuple(articles))
        else:
            joins += [Join(article, found[0]) for article in articles]
        if len(found) > 1:
            merges.append(Merge(found[0], tuple(found[1:]), articles[0]))
        duplicates += len(articles) if sizes[label] > 1 else 0
    return Placement(tuple(new_stories), tuple(joins), tuple(merges), (), (), len(batch), duplicates)


def _first_key(component: tuple[int, list[K]]) -> K:
    return component[1][0]


def _with_links(
    placement: Placement[K], around: Neighbourhood[K], judged: Holdings[K], params: DedupeParams
) -> Placement[K]:
    """`placement` with the merged-rewrite links of the relinked articles, judged against the stories as placed
    (`judged`: the holdings the batch was judged on while placing it)."""
    relinked = around.relinked
    after = _stories_after(placement, relinked)
    # Groups are numbered as the stories' ids will run: stored stories by id, then the new ones in order (their ids
    # come later from the same sequence); below them, each article without a story is a group of its own.
    stored = (story for story in chain(around.stories.values(), (h.story for h in relinked)) if story is not None)
    top = 1 + max(stored, default=0)
    number = {key: top + story.index if isinstance(story, NewStory) else story for key, story in after.items()}
    alone = {key: -1 - n for n, key in enumerate(sorted(key for key, story in number.items() if story is None))}

    def group_of(key: K) -> int:
        story = number[key]
        return alone[key] if story is None else story

    listed = [holder.member for holder in relinked]
    # Offline the articles relinked are those judged while placing: their sentences are sorted once.
    same = len(listed) == len(judged.members) and all(a is b for a, b in zip(listed, judged.members, strict=True))
    holdings = judged if same else Holdings.of(listed)
    totals = {holder.member.key: holder.sentences for holder in relinked}
    found = merged_rewrites(holdings, group_of, number.__getitem__, totals.__getitem__, params)
    links = tuple(
        Link(listed[n].key, NewStory(group - top) if group >= top else group, count)
        for n, groups in found.items()
        for group, count in groups
        if group > 0 and count > 0
    )
    return replace(placement, links=links, relinked=tuple(holder.member.key for holder in relinked))


def _stories_after(placement: Placement[K], relinked: Iterable[Holder[K]]) -> dict[K, StoryRef | None]:
    """Each relinked article's story once `placement` is executed."""
    placed: dict[K, StoryRef] = {join.article: join.story for join in placement.joins}
    for n, articles in enumerate(placement.new_stories):
        placed.update((article, NewStory(n)) for article in articles)
    survivor = {story: merge.survivor for merge in placement.merges for story in merge.merged}
    after: dict[K, StoryRef | None] = {}
    for holder in relinked:
        key, story = holder.member.key, holder.story
        after[key] = placed[key] if key in placed else None if story is None else survivor.get(story, story)
    return after
