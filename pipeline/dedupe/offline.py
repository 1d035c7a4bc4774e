"""Cluster a set of copies into stories in memory, touching no database (`wiredesk dedupe --jsonl`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from pipeline.dedupe.minhash import signatures
from pipeline.dedupe.params import DedupeParams
from pipeline.dedupe.rewrites import merged_rewrites
from pipeline.dedupe.stories import (
    EdgeArrays,
    Member,
    candidate_pairs,
    canonical,
    component_labels,
    copy_edge_arrays,
    story_edge_mask,
)
from pipeline.errors import ConfigError


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
    members = [
        Member(copy.id, copy.published_at, sig.words, sig.content_hash, sig)
        for copy, sig in zip(copies, signed, strict=True)
    ]
    edges = copy_edge_arrays(candidate_pairs(members, params), members, params)
    rewrites = _rewrites(members, edges, params)
    is_rewrite = np.zeros(len(members), dtype=bool)
    is_rewrite[[n for n, found in enumerate(rewrites) if found]] = True
    joins = story_edge_mask(edges, is_rewrite, params)
    story_of = _stories(component_labels(len(members), edges.first[joins], edges.second[joins]), members)
    assignments = []
    for copy, story, found in zip(copies, story_of, rewrites, strict=True):
        also = tuple(dict.fromkeys(story_of[group] for group, _ in found))
        assignments.append(Assignment(copy.id, story, story == copy.id, tuple(s for s in also if s != story)))
    return assignments


def _rewrites(members: list[Member[str]], edges: EdgeArrays, params: DedupeParams) -> list[tuple[tuple[int, int], ...]]:
    """Each copy's `rewritten_from` groups (each named by one of its members' index), empty for all but merged
    rewrites."""
    # Groups are numbered by their smallest key's rank: when two groups are related, the smaller number stands
    # for both, and that must not depend on the input order.
    by_key = sorted(range(len(members)), key=lambda n: members[n].key)
    rank = np.empty(len(members), dtype=np.intp)
    rank[by_key] = np.arange(len(members))
    near = edges.jaccard >= params.jaccard
    group: list[int] = component_labels(len(members), rank[edges.first[near]], rank[edges.second[near]])[rank].tolist()
    is_near = np.zeros(len(members), dtype=bool)
    is_near[edges.first[near]] = is_near[edges.second[near]] = True
    own = [group[n] if near_one else None for n, near_one in enumerate(is_near.tolist())]
    index = {member.key: n for n, member in enumerate(members)}

    def group_of(key: str) -> int:
        return group[index[key]]

    def own_of(key: str) -> int | None:
        return own[index[key]]

    def sentences_of(key: str) -> int:
        return len(members[index[key]].signature.sentences)

    found: list[tuple[tuple[int, int], ...]] = [()] * len(members)
    for n, groups in merged_rewrites(members, group_of, own_of, sentences_of, params).items():
        found[n] = tuple((by_key[number], count) for number, count in groups)
    return found


def _stories(labels: npt.NDArray[np.intp], members: list[Member[str]]) -> list[str]:
    """Each member's story id, a story being named after its canonical copy."""
    components: dict[int, list[Member[str]]] = {}
    for label, member in zip(labels.tolist(), members, strict=True):
        components.setdefault(label, []).append(member)
    story = {label: canonical(component).key for label, component in components.items()}
    return [story[label] for label in labels.tolist()]


@dataclass(frozen=True, slots=True)
class OfflineStories:
    """What clustering a file of copies gave: each copy's story, and the lines that could not be read."""

    assignments: list[Assignment]
    skipped: list[str]
    """One message per line that is not a copy, naming the file and line."""


def dedupe_file(path: Path, params: DedupeParams | None = None) -> OfflineStories:
    """Cluster the copies of a `{"id", "source", "title", "body", "published_at"}` JSON-lines file into stories in
    memory, touching no database; ConfigError when the file cannot be read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    copies, skipped = [], []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                copies.append(parse_copy(line, f"{path}:{number}"))
            except ValueError as error:
                skipped.append(str(error))
    return OfflineStories(cluster(copies, params), skipped)


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
