"""Cluster a set of copies into stories in memory, touching no database (`wiredesk dedupe --jsonl`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pipeline.dedupe.minhash import signatures
from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.stories import (
    Edge,
    Member,
    UnionFind,
    candidate_pairs,
    canonical,
    copy_edges_at,
    near_identical,
    rewrite_suspects,
    rewritten_from,
    story_edges,
    strong_groups,
)


@dataclass(frozen=True, slots=True)
class Copy:
    """One article given to the offline clusterer."""

    id: str
    source: str
    title: str | None
    body: str
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one copy landed: its story (named after the story's canonical copy) and the other stories it
    rewrites, when it is a merged rewrite."""

    id: str
    story_id: str
    canonical: bool
    also_in: tuple[str, ...] = ()


def cluster(copies: Sequence[Copy], params: DedupeParams | None = None) -> list[Assignment]:
    """Each copy's story, in input order."""
    params = params or DedupeParams()
    ids = [copy.id for copy in copies]
    if len(set(ids)) != len(ids):
        raise ValueError("copy ids must be unique")
    signed = signatures([copy.body for copy in copies], params)
    members = {
        copy.id: Member(copy.id, copy.published_at, sig.words, sig.content_hash, sig)
        for copy, sig in zip(copies, signed, strict=True)
    }
    listed = list(members.values())
    edges = copy_edges_at(candidate_pairs(listed, params), listed, params)
    rewrites = _rewrites(members, edges, params)
    components: UnionFind[str] = UnionFind()
    for key in members:
        components.find(key)
    for edge in story_edges(edges, {key for key, found in rewrites.items() if found}, params):
        components.union(edge.first, edge.second)
    story_of = _stories(components, members)
    assignments = []
    for copy in copies:
        story = story_of[copy.id]
        also = tuple(dict.fromkeys(story_of[group] for group, _ in rewrites[copy.id]))
        assignments.append(Assignment(copy.id, story, story == copy.id, tuple(s for s in also if s != story)))
    return assignments


def _rewrites(
    members: dict[str, Member[str]], edges: list[Edge[str]], params: DedupeParams
) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each copy's `rewritten_from` groups, empty for all but merged rewrites."""
    strong, near, listed = strong_groups(members, edges, params), near_identical(edges, params), list(members.values())

    def own_of(key: str) -> str | None:
        return strong.find(key) if key in near else None

    suspects, holders = rewrite_suspects(listed, strong.find, own_of, params)

    def sentences_of(key: str) -> int:
        return len(members[key].signature.sentences)

    found: dict[str, tuple[tuple[str, int], ...]] = dict.fromkeys(members, ())
    for member in (listed[n] for n in suspects):
        found[member.key] = rewritten_from(member, holders, strong.find, params, sentences_of, own_of(member.key))
    return found


def _stories(components: UnionFind[str], members: dict[str, Member[str]]) -> dict[str, str]:
    """Article id -> story id, a story being named after its canonical copy."""
    story_of = {}
    for keys in components.components().values():
        story = canonical(members[key] for key in keys).key
        story_of.update(dict.fromkeys(keys, story))
    return story_of


def parse_copy(line: str, origin: str) -> Copy:
    """One `{"id", "source", "title", "body", "published_at"}` line; raises ValueError naming `origin`."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{origin}: not JSON: {error}") from error
    if not isinstance(item, dict):
        raise ValueError(f"{origin}: not a JSON object")
    for key in ("id", "body"):
        if not isinstance(item.get(key), str | int) or item.get(key) == "":
            raise ValueError(f"{origin}: {key!r} is missing or not a string")
    published = item.get("published_at")
    return Copy(
        id=str(item["id"]),
        source=str(item.get("source") or ""),
        title=item.get("title") if isinstance(item.get("title"), str) else None,
        body=str(item["body"]),
        published_at=_aware(published, origin) if published else None,
    )


def _aware(value: object, origin: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ValueError(f"{origin}: published_at {value!r} is not an ISO 8601 time") from error
    if moment.tzinfo is None:
        raise ValueError(f"{origin}: published_at {value!r} has no time zone")
    return moment
